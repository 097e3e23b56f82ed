package workers

import "testing"

func TestForEach(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 7} {
		for _, n := range []int{0, 1, 5, 100} {
			seen := make([]int, n)
			ForEach(workers, n, func(k int) { seen[k]++ })
			for k, c := range seen {
				if c != 1 {
					t.Fatalf("workers %d, n %d: do(%d) called %d times", workers, n, k, c)
				}
			}
		}
	}
	// A panic in a worker is raised again on the caller's goroutine.
	defer func() {
		if p := recover(); p != "boom" {
			t.Fatalf("recovered %v, want boom", p)
		}
	}()
	ForEach(3, 10, func(k int) {
		if k == 4 {
			panic("boom")
		}
	})
	t.Fatal("ForEach returned after a panic")
}
