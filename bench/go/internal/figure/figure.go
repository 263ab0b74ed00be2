// Package figure is the shared plumbing of the Go benchmark programs: the
// command-line sizes and the one JSON line each program prints, in the same
// shape as the gort and Effect scenarios ({value, unit, n, extra}).
package figure

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
)

// IntArg returns the integer command-line argument at index (after the program name), or fallback.
func IntArg(index int, fallback int) int {
	if len(os.Args) <= index+1 {
		return fallback
	}
	v, err := strconv.Atoi(os.Args[index+1])
	if err != nil || v < 0 {
		fmt.Fprintf(os.Stderr, "argument %d: expected a non-negative integer, got %q\n", index, os.Args[index+1])
		os.Exit(2)
	}
	return v
}

// Report prints one figure as a JSON line. GOMAXPROCS is always added to extra.
func Report(value float64, unit string, n int, extra map[string]interface{}) {
	if extra == nil {
		extra = map[string]interface{}{}
	}
	extra["GOMAXPROCS"] = runtime.GOMAXPROCS(0)
	line, err := json.Marshal(map[string]interface{}{"value": value, "unit": unit, "n": n, "extra": extra})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(line))
}

// Check exits with an error if a benchmark computed the wrong answer.
func Check(what string, got, want int) {
	if got != want {
		fmt.Fprintf(os.Stderr, "%s: got %d, want %d\n", what, got, want)
		os.Exit(1)
	}
}
