// Package benchpair measures the SDK against a plain net/http +
// encoding/json baseline in the same benchmark, alternating the two in one
// loop so that whatever else the machine is doing slows both alike.
package benchpair

import (
	"runtime"
	"testing"
	"time"
)

// Run calls sdk and raw alternately, b.N times each, and reports:
//
//	sdk-ns/op, raw-ns/op   the mean time of one call of each
//	sdk/raw                the ratio of the two (the figure the goals name)
//	sdk-allocs/op, raw-allocs/op, allocs-sdk/raw (counted over 50 more calls
//	of each, outside the timed loop)
//
// Either function failing stops the benchmark.
func Run(b *testing.B, sdk, raw func() error) {
	b.Helper()
	// One warm-up call of each fills connection pools and caches.
	if err := sdk(); err != nil {
		b.Fatalf("sdk: %v", err)
	}
	if err := raw(); err != nil {
		b.Fatalf("raw: %v", err)
	}
	var sdkDur, rawDur time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		first, second := sdk, raw
		firstDur, secondDur := &sdkDur, &rawDur
		if i%2 == 1 {
			first, second = raw, sdk
			firstDur, secondDur = &rawDur, &sdkDur
		}
		if err := timed(first, firstDur); err != nil {
			b.Fatal(err)
		}
		if err := timed(second, secondDur); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(sdkDur.Nanoseconds())/n, "sdk-ns/op")
	b.ReportMetric(float64(rawDur.Nanoseconds())/n, "raw-ns/op")
	if rawDur > 0 {
		b.ReportMetric(float64(sdkDur)/float64(rawDur), "sdk/raw")
	}
	sdkAllocs, rawAllocs := allocsPerCall(sdk), allocsPerCall(raw)
	b.ReportMetric(sdkAllocs, "sdk-allocs/op")
	b.ReportMetric(rawAllocs, "raw-allocs/op")
	if rawAllocs > 0 {
		b.ReportMetric(sdkAllocs/rawAllocs, "allocs-sdk/raw")
	}
}

// timed runs f once and adds its wall time to the total.
func timed(f func() error, dur *time.Duration) error {
	start := time.Now()
	err := f()
	*dur += time.Since(start)
	return err
}

// allocsPerCall counts heap allocations over a fixed number of calls, apart
// from the timed loop because reading MemStats stops the world. Allocations
// of other goroutines (the test server's) count too, alike for both sides.
func allocsPerCall(f func() error) float64 {
	const calls = 50
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.Mallocs
	for range calls {
		_ = f()
	}
	runtime.ReadMemStats(&ms)
	return float64(ms.Mallocs-before) / calls
}
