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
// With more than one CPU (GOMAXPROCS), it decodes line-aligned chunks of
// the input on GOMAXPROCS goroutines while the calling one adds their
// calls to the Table in input order (decoding costs about twice as much
// as adding: the decoders share the CPUs with the adding one rather than
// leave one of them to it): the Table and the error (the first
// in the input) are those of a decoding on one goroutine. It returns once
// it reads r no more.
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

// A chunk is a line-aligned part of the input and, once decoded, its
// calls or the error of its first bad line.
type chunk struct {
	data  []byte
	line  int   // lines before data
	err   error // of reading r, after data
	calls []calldash.Call
	n     int           // calls decoded
	dec   error         // of decoding data
	done  chan struct{} // closed once decoded
}

// decodeChunks reads r in line-aligned chunks of about size bytes,
// decodes them on workers goroutines and adds their calls to b in input
// order.
func decodeChunks(r io.Reader, b *table.Builder, workers, size int) error {
	var (
		stop  = make(chan struct{})
		jobs  = make(chan *chunk)
		order = make(chan *chunk, 2*workers)
		free  = make(chan *chunk, 2*workers+2)
		wg    sync.WaitGroup
	)
	wg.Add(1 + workers)
	go func() { // the reader
		defer wg.Done()
		defer close(order)
		defer close(jobs)
		var carry []byte
		line := 0
		for {
			var c *chunk
			select {
			case c = <-free:
			default:
				c = &chunk{}
			}
			c.data = append(c.data[:0], carry...)
			c.err, c.dec, c.n, c.line = nil, nil, 0, line
			c.done = make(chan struct{})
			carry = carry[:0]
			for c.err == nil {
				if cap(c.data)-len(c.data) < size/2+1 {
					c.data = append(c.data, make([]byte, size)...)[:len(c.data)]
				}
				n, err := r.Read(c.data[len(c.data):cap(c.data)])
				c.data = c.data[:len(c.data)+n]
				if err != nil {
					c.err = err
					break
				}
				if len(c.data) >= size {
					if i := bytes.LastIndexByte(c.data, '\n'); i >= 0 {
						carry = append(carry, c.data[i+1:]...)
						c.data = c.data[:i+1]
						break
					}
					if len(c.data) > maxChunk {
						break
					}
				}
			}
			if c.err != nil && c.err != io.EOF {
				// The lines after the last newline were not all read:
				// the read error comes after the whole lines, as a
				// Decoder reading r gives it.
				c.data = c.data[:bytes.LastIndexByte(c.data, '\n')+1]
			}
			line += bytes.Count(c.data, []byte{'\n'})
			select {
			case order <- c:
			case <-stop:
				return
			}
			select {
			case jobs <- c:
			case <-stop:
				return
			}
			if c.err != nil {
				return
			}
		}
	}()
	for range workers {
		go func() {
			defer wg.Done()
			d := calldash.NewDecoder(nil)
			src := bytes.NewReader(nil)
			for c := range jobs {
				src.Reset(c.data)
				d.Reset(src, c.line)
				for {
					if c.n == len(c.calls) {
						c.calls = append(c.calls, calldash.Call{})
						c.calls = c.calls[:cap(c.calls)]
					}
					err := d.Decode(&c.calls[c.n])
					if err == io.EOF {
						break
					}
					if err != nil {
						c.dec = err
						break
					}
					c.n++
				}
				close(c.done)
			}
		}()
	}
	err := func() error {
		for c := range order {
			<-c.done
			for i := range c.n {
				b.Add(&c.calls[i])
			}
			switch {
			case c.dec != nil:
				return c.dec
			case c.err != nil && c.err != io.EOF:
				return c.err
			}
			select {
			case free <- c:
			default:
			}
		}
		return nil
	}()
	close(stop)
	for range order { // let the reader and the workers finish
	}
	wg.Wait()
	return err
}
