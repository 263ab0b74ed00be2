// errgroup: a Group runs 10,000 goroutines that each return nil, then Wait;
// repeated n / 10,000 times. Prints ns per goroutine. Usage: errgroup <n> <warm>.
//
// golang.org/x/sync is not in Go's standard library and there is no module
// proxy here, so this program carries a minimal errgroup written the way
// x/sync/errgroup implements it (sync.WaitGroup + sync.Once for the first
// error + a cancel func; no limit, as the benchmark sets none).
package main

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gortbench/internal/figure"
)

type group struct {
	cancel  func()
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
}

func withContext(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

func (g *group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

const perGroup = 10000

func run(n int) (time.Duration, int) {
	groups := n / perGroup
	if groups < 1 {
		groups = 1
	}
	var count int64
	body := func() error {
		atomic.AddInt64(&count, 1)
		return nil
	}
	t0 := time.Now()
	for k := 0; k < groups; k++ {
		var g group
		for i := 0; i < perGroup; i++ {
			g.Go(body)
		}
		if err := g.Wait(); err != nil {
			panic(err)
		}
	}
	d := time.Since(t0)
	figure.Check("errgroup goroutines", int(count), groups*perGroup)
	return d, groups * perGroup
}

func main() {
	n := figure.IntArg(0, 1000000)
	warm := figure.IntArg(1, 100000)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d, total := run(n)
	_ = withContext
	figure.Report(float64(d.Nanoseconds())/float64(total), "ns/goroutine", total, map[string]interface{}{"goroutines per group": perGroup, "variant": "minimal errgroup (WaitGroup + Once)"})
}
