// CPU-bound work (the M:N section): 8 goroutines each compute
// sum(0..n-1) in a float64 loop and send it on a channel; main receives the
// 8 sums. Run with GOMAXPROCS=1 and GOMAXPROCS=2; the harness divides the
// two times for the speedup. Prints ms for all 8.
// Usage: mncpu <n per goroutine> <warm n>.
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"gortbench/internal/figure"
)

const tasks = 8

func sum(n int, out chan<- float64) {
	s := 0.0
	for i := 0; i < n; i++ {
		s += float64(i)
	}
	out <- s
}

func run(n int) time.Duration {
	out := make(chan float64, tasks)
	t0 := time.Now()
	for t := 0; t < tasks; t++ {
		go sum(n, out)
	}
	want := float64(n) * float64(n-1) / 2
	for t := 0; t < tasks; t++ {
		if s := <-out; s != want {
			fmt.Fprintf(os.Stderr, "mncpu sum: got %.0f, want %.0f\n", s, want)
			os.Exit(1)
		}
	}
	return time.Since(t0)
}

func main() {
	n := figure.IntArg(0, 50000000)
	warm := figure.IntArg(1, 5000000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(n)
	figure.Report(float64(d.Nanoseconds())/1e6, "ms", n, map[string]interface{}{"tasks": tasks})
}
