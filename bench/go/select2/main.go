// 2-case select: two sender goroutines each send n/2 values on their own
// unbuffered channel; main runs n selects over both. Prints ns per select.
// Usage: select2 <n> <warm>.
package main

import (
	"runtime"
	"time"

	"gortbench/internal/figure"
)

func run(n int) time.Duration {
	half := n / 2
	a := make(chan int)
	b := make(chan int)
	go func() {
		for i := 0; i < half; i++ {
			a <- 1
		}
	}()
	go func() {
		for i := 0; i < half; i++ {
			b <- 2
		}
	}()
	fromA, fromB := 0, 0
	t0 := time.Now()
	for i := 0; i < 2*half; i++ {
		select {
		case <-a:
			fromA++
		case <-b:
			fromB++
		}
	}
	d := time.Since(t0)
	figure.Check("select2 count a", fromA, half)
	figure.Check("select2 count b", fromB, half)
	return d
}

func main() {
	n := figure.IntArg(0, 1000000)
	warm := figure.IntArg(1, 200000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(n)
	figure.Report(float64(d.Nanoseconds())/float64(2*(n/2)), "ns/select", n, nil)
}
