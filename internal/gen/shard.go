package gen

import (
	"math/rand/v2"
	"strconv"
)

// shardSize is the number of leads per shard. It is fixed (not derived from
// the number of workers) so that the output depends on the seed only.
const shardSize = 4096

// The CSV files, in the order of shardOut.buf.
const (
	fileLeads = iota
	fileEvents
	fileStages
	fileOutcomes
	numFiles
)

var csvHeaders = [numFiles]string{
	"lead_id,created_at,channel,title,company_size,industry,country,email_domain,email_type,lead_quality\n",
	"lead_id,occurred_at,action,value\n",
	"lead_id,stage,entered_at\n",
	"lead_id,closed_at,outcome,amount\n",
}

// shardOut is the CSV text (without headers) and row counts of one shard.
type shardOut struct {
	buf  [numFiles][]byte
	rows [numFiles]int64
	// logits, when not nil, receives each lead's true logit (for tests).
	logits []float64
}

// shardStream returns the random stream of shard k: PCG seeded with the
// configured seed and a hash of the shard number.
func shardStream(seed uint64, k int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, splitmix64(uint64(k)+0x9e3779b97f4a7c15)))
}

// splitmix64 is the SplitMix64 finaliser (Steele, Lea, Flood 2014).
func splitmix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// generator holds what every shard shares; it is read-only.
type generator struct {
	cfg     Config
	m       *model
	cal     *calendar
	idWidth int
}

func newGenerator(cfg Config) *generator {
	return &generator{
		cfg:     cfg,
		m:       newModel(),
		cal:     newCalendar(cfg),
		idWidth: max(6, len(strconv.Itoa(cfg.Leads))),
	}
}

// shard generates leads [k·shardSize, min((k+1)·shardSize, Leads)) into out,
// reusing out's buffers. l is scratch space.
func (g *generator) shard(k int, out *shardOut, l *lead) {
	for f := range numFiles {
		out.buf[f] = out.buf[f][:0]
		out.rows[f] = 0
	}
	out.logits = out.logits[:0]
	s := &simulator{r: shardStream(g.cfg.Seed, k), m: g.m, cal: g.cal, end: g.cal.end}
	from, to := k*shardSize, min((k+1)*shardSize, g.cfg.Leads)
	var id []byte
	for i := from; i < to; i++ {
		s.simulate(i, l)
		out.logits = append(out.logits, l.logit)
		id = g.appendID(id[:0], i)
		g.write(out, id, l)
	}
}

// appendID appends the lead ID of lead i: L and the 1-based number padded
// with zeros.
func (g *generator) appendID(b []byte, i int) []byte {
	b = append(b, 'L')
	n := strconv.Itoa(i + 1)
	for range g.idWidth - len(n) {
		b = append(b, '0')
	}
	return append(b, n...)
}

// write appends the lead's rows before the end of the data.
func (g *generator) write(out *shardOut, id []byte, l *lead) {
	end := g.cal.end
	b := out.buf[fileLeads]
	b = append(b, id...)
	b = append(b, ',')
	b = appendTime(b, l.created)
	b = append(b, ',')
	b = append(b, channelSpecs[l.channel].name...)
	for a := range numAttrs {
		if a == attrEmailType {
			b = append(b, ',')
			b = g.m.appendDomain(b, l)
		}
		b = append(b, ',')
		b = append(b, attrSpecs[a].values[l.attrs[a]].value...)
	}
	b = append(b, ',')
	b = append(b, qualityValues[l.quality]...)
	b = append(b, '\n')
	out.buf[fileLeads] = b
	out.rows[fileLeads]++

	b = out.buf[fileEvents]
	for _, e := range l.events {
		if e.t >= end {
			break
		}
		b = append(b, id...)
		b = append(b, ',')
		b = appendTime(b, e.t)
		b = append(b, ',')
		b = append(b, actionSpecs[e.a].name...)
		b = append(b, ',')
		if e.v >= 0 {
			b = strconv.AppendInt(b, int64(e.v), 10)
		}
		b = append(b, '\n')
		out.rows[fileEvents]++
	}
	out.buf[fileEvents] = b

	b = out.buf[fileStages]
	for _, st := range l.stages {
		if st.t >= end {
			break
		}
		b = append(b, id...)
		b = append(b, ',')
		b = append(b, stageNames[st.s]...)
		b = append(b, ',')
		b = appendTime(b, st.t)
		b = append(b, '\n')
		out.rows[fileStages]++
	}
	out.buf[fileStages] = b

	if l.hasOutcome && l.closed < end {
		b = out.buf[fileOutcomes]
		b = append(b, id...)
		b = append(b, ',')
		b = appendTime(b, l.closed)
		if l.won {
			b = append(b, ",won,"...)
		} else {
			b = append(b, ",lost,"...)
		}
		b = strconv.AppendInt(b, l.amount, 10)
		b = append(b, '\n')
		out.buf[fileOutcomes] = b
		out.rows[fileOutcomes]++
	}
}
