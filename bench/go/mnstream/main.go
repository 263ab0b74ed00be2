// Cross-thread stream through a channel of capacity 100 (the M:N section): a
// producer goroutine sends n values, main receives them, run with
// GOMAXPROCS=2. With <locked> = 1 both goroutines call runtime.LockOSThread
// (two different OS threads). Prints ns per item.
// Usage: mnstream <n> <warm> [locked 0|1].
package main

import (
	"runtime"
	"time"

	"gortbench/internal/figure"
)

func run(n int, locked bool) time.Duration {
	ch := make(chan int, 100)
	go func() {
		if locked {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		for i := 0; i <= n; i++ {
			ch <- i
		}
	}()
	<-ch // the producer is running before the clock starts
	sum := 0
	t0 := time.Now()
	for i := 1; i <= n; i++ {
		sum += <-ch
	}
	d := time.Since(t0)
	figure.Check("mnstream sum", sum, n*(n+1)/2)
	return d
}

func main() {
	n := figure.IntArg(0, 2000000)
	warm := figure.IntArg(1, 400000)
	locked := figure.IntArg(2, 0) == 1
	if locked {
		runtime.LockOSThread()
	}
	if warm > 0 {
		run(warm, locked)
	}
	runtime.GC()
	d := run(n, locked)
	lockedFlag := 0
	if locked {
		lockedFlag = 1
	}
	figure.Report(float64(d.Nanoseconds())/float64(n), "ns/item", n, map[string]interface{}{"lockOSThread": lockedFlag})
}
