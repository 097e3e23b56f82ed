package widget

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/widget/internal/table"
)

// DecodeTable reads a JSON Lines stream of call logs straight into a
// Table, as [calldash.Decoder] reads them (the same rules, the same
// errors, with the line and the JSON path), without a slice of calls in
// between: the Table keeps no records.
//
// With more than one CPU (GOMAXPROCS), GOMAXPROCS goroutines (the
// calling one among them) each read a line-aligned chunk of the input,
// decode it and add its calls to the Table in their turn, in input
// order: the Table and the error (the first in the input) are those of a
// decoding on one goroutine. It returns once it reads r no more.
func DecodeTable(r io.Reader) (*Table, error) {
	b := table.NewBuilder()
	if workers := runtime.GOMAXPROCS(0); workers > 1 {
		err := decodeChunks(r, b, workers, chunkSize)
		if err != nil {
			return nil, err
		}
		return &Table{b.Table()}, nil
	}
	d := calldash.NewDecoder(r)
	var c calldash.Call
	for {
		switch err := d.Decode(&c); err {
		case nil:
			b.Add(&c)
		case io.EOF:
			return &Table{b.Table()}, nil
		default:
			return nil, err
		}
	}
}

// chunkSize is the size of the line-aligned parts of the input decoded
// on one goroutine each: large enough that handing them over costs
// little, small enough that the calls of one (a hundred or so) stay in
// the cache until they are added.
const chunkSize = 64 << 10

// maxChunk bounds a chunk without a newline: beyond it, the Decoder
// reports the line too long, as it would reading r itself.
const maxChunk = 17 << 20

// A chunk is a line-aligned part of the input, decoded by one worker.
type chunk struct {
	data  []byte
	line  int   // lines before data
	err   error // of reading r, after data
	calls []calldash.Call
	prev  <-chan struct{} // closed once the chunk before was added
	added chan struct{}   // closed once this one was added
}

// A chunkReader cuts r into line-aligned chunks of about size bytes, for
// workers that take turns reading it.
type chunkReader struct {
	mu    sync.Mutex
	r     io.Reader
	size  int
	carry []byte // read after the last chunk's last newline
	line  int
	done  bool            // r read to its end or error, or decoding failed
	last  <-chan struct{} // added of the last chunk read
}

// next fills c with the next chunk; false once there is none.
func (cr *chunkReader) next(c *chunk) bool {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if cr.done {
		return false
	}
	c.data = append(c.data[:0], cr.carry...)
	c.err, c.line = nil, cr.line
	cr.carry = cr.carry[:0]
	for c.err == nil {
		if cap(c.data)-len(c.data) < cr.size/2+1 {
			c.data = append(c.data, make([]byte, cr.size)...)[:len(c.data)]
		}
		n, err := cr.r.Read(c.data[len(c.data):cap(c.data)])
		c.data = c.data[:len(c.data)+n]
		if err != nil {
			c.err = err
			break
		}
		if len(c.data) >= cr.size {
			if i := bytes.LastIndexByte(c.data, '\n'); i >= 0 {
				cr.carry = append(cr.carry, c.data[i+1:]...)
				c.data = c.data[:i+1]
				break
			}
			if len(c.data) > maxChunk {
				break
			}
		}
	}
	if c.err != nil {
		cr.done = true
		if c.err != io.EOF {
			// The lines after the last newline were not all read: the
			// read error comes after the whole lines, as a Decoder
			// reading r gives it.
			c.data = c.data[:bytes.LastIndexByte(c.data, '\n')+1]
		}
	}
	cr.line += bytes.Count(c.data, []byte{'\n'})
	c.prev, c.added = cr.last, make(chan struct{})
	cr.last = c.added
	return true
}

// stop makes next return false from now on.
func (cr *chunkReader) stop() {
	cr.mu.Lock()
	cr.done = true
	cr.mu.Unlock()
}

// decodeChunks reads r in line-aligned chunks of about size bytes on
// workers goroutines (the calling one among them), each of which decodes
// the chunk it read and then, in its turn (in input order), adds its
// calls to b: the goroutines share the CPUs between decoding and adding
// as the work comes, and no goroutine waits for another to be scheduled
// to hand it calls, but for the turn to add.
func decodeChunks(r io.Reader, b *table.Builder, workers, size int) error {
	cr := &chunkReader{r: r, size: size}
	closed := make(chan struct{})
	close(closed)
	cr.last = closed
	var (
		failed error // the first error in the input; written in turn
		wg     sync.WaitGroup
	)
	work := func() {
		d := calldash.NewDecoder(nil)
		src := bytes.NewReader(nil)
		var c chunk
		for cr.next(&c) {
			src.Reset(c.data)
			d.Reset(src, c.line)
			n := 0
			var dec error
			for {
				if n == len(c.calls) {
					c.calls = append(c.calls, calldash.Call{})
					c.calls = c.calls[:cap(c.calls)]
				}
				err := d.Decode(&c.calls[n])
				if err == io.EOF {
					break
				}
				if err != nil {
					dec = err
					break
				}
				n++
			}
			<-c.prev // the turn to add
			if failed == nil {
				for i := range n {
					b.Add(&c.calls[i])
				}
				switch {
				case dec != nil:
					failed = dec
				case c.err != nil && c.err != io.EOF:
					failed = c.err
				}
				if failed != nil {
					cr.stop()
				}
			}
			close(c.added)
		}
	}
	wg.Add(workers - 1)
	for range workers - 1 {
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	return failed
}
