// WaitGroup cycles: Add(1); Done(); Wait() n times in one goroutine. Prints
// ns per cycle. Usage: waitgroup <n> <warm>.
package main

import (
	"runtime"
	"sync"
	"time"

	"gortbench/internal/figure"
)

func run(n int) time.Duration {
	var wg sync.WaitGroup
	cycles := 0
	t0 := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		wg.Done()
		wg.Wait()
		cycles++
	}
	d := time.Since(t0)
	figure.Check("waitgroup cycles", cycles, n)
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
	figure.Report(float64(d.Nanoseconds())/float64(n), "ns/cycle", n, nil)
}
