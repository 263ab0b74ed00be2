// Contended Mutex: 8 goroutines share one Mutex; each does n/8 rounds of
// { Lock; counter++; Unlock } (BenchmarkMutex's body with 8 goroutines).
// Prints ns per lock+unlock pair. Usage: mutexcontended <n> <warm>.
package main

import (
	"runtime"
	"sync"
	"time"

	"gortbench/internal/figure"
)

const workers = 8

func run(n int) (time.Duration, int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	per := n / workers
	counter := 0
	t0 := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			for i := 0; i < per; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	d := time.Since(t0)
	figure.Check("mutexcontended counter", counter, per*workers)
	return d, per * workers
}

func main() {
	n := figure.IntArg(0, 2000000)
	warm := figure.IntArg(1, 400000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d, ops := run(n)
	figure.Report(float64(d.Nanoseconds())/float64(ops), "ns/op", n, map[string]interface{}{"workers": workers})
}
