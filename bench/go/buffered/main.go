// Buffered channel (cap 100): a producer goroutine sends n values, main
// receives them. Prints ns per item. Usage: buffered <n> <warm>.
package main

import (
	"runtime"
	"time"

	"gortbench/internal/figure"
)

func run(n int) time.Duration {
	ch := make(chan int, 100)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	sum := 0
	t0 := time.Now()
	for i := 0; i < n; i++ {
		sum += <-ch
	}
	d := time.Since(t0)
	figure.Check("buffered sum", sum, n*(n-1)/2)
	return d
}

func main() {
	n := figure.IntArg(0, 2000000)
	warm := figure.IntArg(1, 400000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(n)
	figure.Report(float64(d.Nanoseconds())/float64(n), "ns/item", n, nil)
}
