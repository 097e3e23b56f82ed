package widget

import "testing"

func TestRowNumbers(t *testing.T) {
	for n := range 20 {
		sel := make([]int32, n)
		rowNumbers(sel, 4096*3-5)
		for i, v := range sel {
			if v != int32(4096*3-5+i) {
				t.Fatalf("n=%d: sel[%d] = %d, want %d", n, i, v, 4096*3-5+i)
			}
		}
	}
}

func TestForEach(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 7} {
		for _, n := range []int{0, 1, 5, 100} {
			seen := make([]int, n)
			forEach(workers, n, func(k int) { seen[k]++ })
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
	forEach(3, 10, func(k int) {
		if k == 4 {
			panic("boom")
		}
	})
	t.Fatal("forEach returned after a panic")
}
