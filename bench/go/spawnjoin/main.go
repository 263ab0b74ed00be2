// Spawn + join: start n goroutines that each call wg.Done, then wg.Wait.
// Prints ns per goroutine. Usage: spawnjoin <n> <warm>.
package main

import (
	"runtime"
	"sync"
	"time"

	"gortbench/internal/figure"
)

func run(n int) time.Duration {
	var wg sync.WaitGroup
	t0 := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			wg.Done()
		}()
	}
	wg.Wait()
	return time.Since(t0)
}

func main() {
	n := figure.IntArg(0, 100000)
	warm := figure.IntArg(1, 100000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(n)
	figure.Report(float64(d.Nanoseconds())/float64(n), "ns/goroutine", n, map[string]interface{}{
		"variant":  "sync.WaitGroup",
		"total ms": float64(d.Nanoseconds()) / 1e6,
	})
}
