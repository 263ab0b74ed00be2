// Cross-thread unbuffered ping-pong (the M:N section): main sends on ping,
// an echo goroutine sends the value back on pong, run with GOMAXPROCS=2.
// With <locked> = 1 both goroutines call runtime.LockOSThread, so they run on
// two different OS threads and every handoff wakes the other thread; with 0
// Go's scheduler places them (usually on one P, with an idle P spinning).
// Prints ns per round trip. Usage: mnpingpong <n> <warm> [locked 0|1].
package main

import (
	"runtime"
	"time"

	"gortbench/internal/figure"
)

func run(n int, locked bool) time.Duration {
	ping := make(chan int)
	pong := make(chan int)
	go func() {
		if locked {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		for i := 0; i <= n; i++ {
			v := <-ping
			pong <- v
		}
	}()
	ping <- 0 // one round trip before the clock starts: the echo goroutine is running
	<-pong
	sum := 0
	t0 := time.Now()
	for i := 1; i <= n; i++ {
		ping <- i
		sum += <-pong
	}
	d := time.Since(t0)
	figure.Check("mnpingpong sum", sum, n*(n+1)/2)
	return d
}

func main() {
	n := figure.IntArg(0, 500000)
	warm := figure.IntArg(1, 100000)
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
	figure.Report(float64(d.Nanoseconds())/float64(n), "ns/round trip", n, map[string]interface{}{"lockOSThread": lockedFlag})
}
