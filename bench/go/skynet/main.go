// Skynet (github.com/atemerev/skynet), Go's program: skynet(c, num, size, div)
// starts div children that send their sums on the parent's one result
// channel. Prints ms for the whole tree. Usage: skynet <size> <warm size>.
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"gortbench/internal/figure"
)

func skynet(c chan int, num int, size int, div int) {
	if size == 1 {
		c <- num
		return
	}
	rc := make(chan int)
	var sum int
	for i := 0; i < div; i++ {
		subNum := num + i*(size/div)
		go skynet(rc, subNum, size/div, div)
	}
	for i := 0; i < div; i++ {
		sum += <-rc
	}
	c <- sum
}

func run(size int) time.Duration {
	c := make(chan int)
	t0 := time.Now()
	go skynet(c, 0, size, 10)
	result := <-c
	d := time.Since(t0)
	figure.Check("skynet result", result, size*(size-1)/2)
	return d
}

func main() {
	size := figure.IntArg(0, 1000000)
	warm := figure.IntArg(1, 100000)
	for _, k := range []int{size, warm} {
		for p := k; p > 1; p /= 10 {
			if p%10 != 0 {
				fmt.Fprintf(os.Stderr, "skynet: sizes must be powers of 10, got %d\n", k)
				os.Exit(2)
			}
		}
	}
	if size == 0 {
		fmt.Fprintln(os.Stderr, "skynet: size must be at least 1")
		os.Exit(2)
	}
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(size)
	figure.Report(float64(d.Nanoseconds())/1e6, "ms", size, nil)
}
