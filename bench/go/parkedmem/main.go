// Memory per parked goroutine: n goroutines each block on a receive from one
// shared unbuffered channel. Prints (RSS after - RSS before) / n in bytes,
// RSS read from /proc/self/statm after runtime.GC; extra has the same from
// runtime.MemStats.Sys and the time to spawn and park them all.
// Usage: parkedmem <n> <warm>.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"gortbench/internal/figure"
)

// rss returns the resident set size in bytes, from /proc/self/statm.
func rss() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		panic(err)
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(data), &size, &resident); err != nil {
		panic(err)
	}
	return resident * int64(os.Getpagesize())
}

func sys() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.Sys)
}

// spawnParked starts k goroutines that block on <-ch and waits until all have started.
func spawnParked(k int, ch chan struct{}) {
	var started sync.WaitGroup
	started.Add(k)
	for i := 0; i < k; i++ {
		go func() {
			started.Done()
			<-ch
		}()
	}
	started.Wait()
	// Let the last ones reach the receive.
	runtime.Gosched()
	time.Sleep(10 * time.Millisecond)
}

func main() {
	n := figure.IntArg(0, 1000000)
	warm := figure.IntArg(1, 10000)
	w := make(chan struct{})
	spawnParked(warm, w)
	close(w)
	time.Sleep(10 * time.Millisecond)

	runtime.GC()
	rss0, sys0 := rss(), sys()
	ch := make(chan struct{})
	t0 := time.Now()
	spawnParked(n, ch)
	spawn := time.Since(t0)
	runtime.GC()
	rss1, sys1 := rss(), sys()
	figure.Report(float64(rss1-rss0)/float64(n), "B/goroutine (RSS)", n, map[string]interface{}{
		"MemStats.Sys B/goroutine": float64(sys1-sys0) / float64(n),
		"ms to spawn and park all": float64(spawn.Nanoseconds()) / 1e6,
		"measure":                  "RSS delta after runtime.GC (/proc/self/statm)",
	})
	runtime.KeepAlive(ch)
}
