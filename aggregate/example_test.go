package aggregate_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/aggregate"
)

func ExampleAccumulator() {
	acc := aggregate.New(aggregate.Avg, aggregate.DefaultAvgPlaces)
	for _, s := range []string{"45.5", "60", "12.25"} {
		acc.Add(calldash.Number(decimal.RequireFromString(s)))
	}
	acc.Add(calldash.Null) // ignored by the aggregate, counted as a row
	fmt.Println(acc.Result(), acc.Count(), acc.Rows())

	p50 := aggregate.New(aggregate.P50, aggregate.DefaultAvgPlaces)
	p50.Add(calldash.Int(1))
	p50.Add(calldash.Int(2))
	fmt.Println(p50.Result())

	empty := aggregate.New(aggregate.Max, aggregate.DefaultAvgPlaces)
	count := aggregate.New(aggregate.Count, aggregate.DefaultAvgPlaces)
	fmt.Println(empty.Result(), count.Result())
	// Output:
	// 39.25 3 4
	// 1
	// null 0
}

func ExampleCalendar() {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	days := aggregate.NewCalendar(aggregate.Day, ny, time.Monday)
	t := time.Date(2025, 11, 2, 15, 0, 0, 0, time.UTC)
	start := days.Start(t)
	next := days.Next(start)
	fmt.Println(start.Format(time.RFC3339), next.Format(time.RFC3339), next.Sub(start))
	// Output:
	// 2025-11-02T00:00:00-04:00 2025-11-03T00:00:00-05:00 25h0m0s
}

func ExampleEnumerate() {
	weeks := aggregate.NewCalendar(aggregate.Week, time.UTC, time.Monday)
	r := aggregate.Range{
		Lo: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),                     // gte
		Hi: time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC), HiExclusive: true, // lt
	}
	b, err := aggregate.Enumerate(weeks, r, 10000)
	if err != nil {
		panic(err)
	}
	for _, s := range b.Starts() {
		fmt.Println(s.Format(time.DateOnly))
	}
	call := time.Date(2025, 11, 12, 9, 30, 0, 0, time.UTC)
	fmt.Println("bucket of the call:", b.Index(call.UnixNano()))

	_, err = aggregate.Enumerate(weeks, r, 2)
	fmt.Println(err)
	// Output:
	// 2025-10-27
	// 2025-11-03
	// 2025-11-10
	// bucket of the call: 2
	// too many buckets: the time range spans more than 2 buckets (the limit)
}

func ExampleNewFixed() {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		panic(err)
	}
	// 15-minute buckets, aligned to the epoch, printed in the zone.
	f, err := aggregate.NewFixed(15*60*1000, kolkata)
	if err != nil {
		panic(err)
	}
	t := time.Date(2025, 11, 3, 10, 37, 12, 0, time.UTC)
	fmt.Println(f.Start(t).Format(time.RFC3339))
	_, err = aggregate.NewFixed(1500, nil)
	fmt.Println(err)
	// Output:
	// 2025-11-03T16:00:00+05:30
	// invalid bucket interval: 1500 ms (want a positive multiple of 1000)
}
