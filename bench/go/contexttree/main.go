// Context tree: a root context.WithCancel(context.Background()) and 1,000
// descendants made breadth-first, 4 WithCancel children per node, then
// cancel the root and check all 1,001 are done (Err() != nil). Prints µs
// per tree, create + cancel. Usage: contexttree <trees> <warm>.
package main

import (
	"context"
	"runtime"
	"time"

	"gortbench/internal/figure"
)

const descendants = 1000

func tree() int {
	root, cancel := context.WithCancel(context.Background())
	all := make([]context.Context, 0, descendants+1)
	all = append(all, root)
	for head := 0; len(all) <= descendants; head++ {
		parent := all[head]
		for i := 0; i < 4 && len(all) <= descendants; i++ {
			c, _ := context.WithCancel(parent)
			all = append(all, c)
		}
	}
	cancel()
	done := 0
	for _, c := range all {
		if c.Err() != nil {
			done++
		}
	}
	return done
}

func run(n int) time.Duration {
	t0 := time.Now()
	done := 0
	for i := 0; i < n; i++ {
		done += tree()
	}
	d := time.Since(t0)
	figure.Check("contexttree done", done, n*(descendants+1))
	return d
}

func main() {
	n := figure.IntArg(0, 2000)
	warm := figure.IntArg(1, 500)
	if warm > 0 {
		run(warm)
	}
	runtime.GC()
	d := run(n)
	figure.Report(float64(d.Nanoseconds())/1e3/float64(n), "µs/tree", n, map[string]interface{}{"contexts": descendants + 1})
}
