// Uncontended Mutex: one goroutine locks and unlocks n times. Prints ns per
// lock+unlock pair. Usage: mutexuncontended <n> <warm>.
package main

import (
	"runtime"
	"sync"
	"time"

	"gortbench/internal/figure"
)

func run(n int) time.Duration {
	var mu sync.Mutex
	count := 0
	t0 := time.Now()
	for i := 0; i < n; i++ {
		mu.Lock()
		count++
		mu.Unlock()
	}
	d := time.Since(t0)
	figure.Check("mutexuncontended count", count, n)
	return d
}

func main() {
	n := figure.IntArg(0, 5000000)
	warm := figure.IntArg(1, 1000000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(n)
	figure.Report(float64(d.Nanoseconds())/float64(n), "ns/op", n, nil)
}
