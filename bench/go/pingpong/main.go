// Unbuffered ping-pong: main sends on ping, an echo goroutine sends the value
// back on pong. Prints ns per round trip. Usage: pingpong <n> <warm>.
package main

import (
	"runtime"
	"time"

	"gortbench/internal/figure"
)

func run(n int) time.Duration {
	ping := make(chan int)
	pong := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			v := <-ping
			pong <- v
		}
	}()
	sum := 0
	t0 := time.Now()
	for i := 0; i < n; i++ {
		ping <- i
		sum += <-pong
	}
	d := time.Since(t0)
	figure.Check("pingpong sum", sum, n*(n-1)/2)
	return d
}

func main() {
	n := figure.IntArg(0, 500000)
	warm := figure.IntArg(1, 100000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(n)
	figure.Report(float64(d.Nanoseconds())/float64(n), "ns/round trip", n, nil)
}
