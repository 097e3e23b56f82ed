// Package workers runs a preview's work on several goroutines.
package workers

import (
	"sync"
	"sync/atomic"
)

// ForEach calls do(k) for every k in [0, n), on up to workers goroutines
// that take the next k as they become free; with one worker, in order on
// the calling goroutine. It returns when every call has returned. A panic
// in a call is raised again on the calling goroutine, as it would be
// without workers (once the other calls are done).
func ForEach(workers, n int, do func(k int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for k := range n {
			do(k)
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Pointer[any]
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panicked.CompareAndSwap(nil, &p)
				}
			}()
			for k := int(next.Add(1) - 1); k < n; k = int(next.Add(1) - 1) {
				do(k)
			}
		}()
	}
	wg.Wait()
	if p := panicked.Load(); p != nil {
		panic(*p)
	}
}
