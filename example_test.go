package calldash_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/calldash/calldash"
)

// A Decoder reads JSON Lines call logs one at a time; decoding into the
// same Call reuses its metadata map and evaluations.
func ExampleDecoder() {
	d := calldash.NewDecoder(strings.NewReader(`{"id": 1, "timestamp": "2025-11-03T10:30:00Z", "duration": 45.5}

{"id": 2, "timestamp": "2025-11-03T10:31:00Z", "metadata": {"region": "us-east"}}
{"id": 3, "timestamp": "2025-11-03T10:32:00Z", "topic": "bad \ud800 escape"}
`))
	var c calldash.Call
	for {
		err := d.Decode(&c)
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("line %d: call %d, duration %s, %d metadata keys\n", d.Line(), c.ID, c.Duration.AppendJSON(nil), len(c.Metadata))
	}
	// Output:
	// line 1: call 1, duration 45.5, 0 metadata keys
	// line 3: call 2, duration null, 1 metadata keys
	// line 4: $.topic: malformed JSON: lone surrogate \ud800 in string
}
