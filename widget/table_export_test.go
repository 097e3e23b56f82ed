package widget

import (
	"io"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget/internal/memory"
	"github.com/calldash/calldash/widget/internal/table"
)

// NewTableDictLimit is NewTable with at most limit distinct values per
// dictionary column, so that tests reach the scaled-number and
// record-by-record paths on small data sets.
func NewTableDictLimit(calls []calldash.Call, limit int) *Table {
	return &Table{table.NewTuned(calls, limit, true)}
}

// DecodeTableChunks is DecodeTable decoding chunks of about size bytes
// on workers goroutines, so that tests cut small inputs into many chunks.
func DecodeTableChunks(r io.Reader, workers, size int) (*Table, error) {
	b := table.NewBuilder()
	if err := decodeChunks(r, b, workers, size); err != nil {
		return nil, err
	}
	return &Table{b.Table()}, nil
}

// NewTableRows is NewTableDictLimit for a Table without records (limit <
// 0: the limit of DecodeTable).
func NewTableRows(calls []calldash.Call, limit int) *Table {
	return &Table{table.NewTunedRows(calls, limit, true)}
}

// NewTableNoSummaries is NewTable that never adds a whole block from its
// summaries, so that tests reach the row-by-row paths of whole blocks.
func NewTableNoSummaries(calls []calldash.Call) *Table {
	return &Table{table.NewTuned(calls, table.MaxDict(len(calls)), false)}
}

// CallsMinPart is Calls whose workers read at least minPart records each
// (not 32,768), so that tests cut small data sets into parts.
func CallsMinPart(calls []calldash.Call, minPart int) Source {
	return memorySource{memory.Source{Slice: calls, MinPart: minPart}}
}

// TableFootprint returns the bytes of each part of t (see
// table.Table.Footprint).
func TableFootprint(t *Table) []table.Part { return t.t.Footprint() }
