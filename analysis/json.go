package analysis

import (
	"bytes"
	"encoding/json"
)

// object writes a JSON object with keys in the order they are added.
type object struct {
	buf bytes.Buffer
	err error
}

func (o *object) add(key string, v any) {
	if o.err != nil {
		return
	}
	if o.buf.Len() == 0 {
		o.buf.WriteByte('{')
	} else {
		o.buf.WriteByte(',')
	}
	k, _ := json.Marshal(key) // a string always marshals
	o.buf.Write(k)
	o.buf.WriteByte(':')
	b, err := json.Marshal(v)
	if err != nil {
		o.err = err
		return
	}
	o.buf.Write(b)
}

func (o *object) bytes() ([]byte, error) {
	if o.err != nil {
		return nil, o.err
	}
	if o.buf.Len() == 0 {
		return []byte("{}"), nil
	}
	o.buf.WriteByte('}')
	return o.buf.Bytes(), nil
}

// MarshalJSON writes the counts as one object keyed by stage name, in funnel
// order.
func (c StageCounts) MarshalJSON() ([]byte, error) {
	var o object
	for _, s := range c {
		o.add(s.Stage, s.Leads)
	}
	return o.bytes()
}

// Get returns the count of stage, or 0 if stage is not in c.
func (c StageCounts) Get(stage string) int64 {
	for _, s := range c {
		if s.Stage == stage {
			return s.Leads
		}
	}
	return 0
}

// addFunnel adds the funnel's fields: the per-stage counts as flat keys
// named as the stages, then the windowed figures.
func (o *object) addFunnel(f Funnel) {
	for _, s := range f.Reached {
		o.add(s.Stage, s.Leads)
	}
	o.add("mature_leads", f.MatureLeads)
	o.add("open_leads", f.OpenLeads)
	o.add("open_share", f.OpenShare)
	o.add("immature", f.Immature)
	o.add("base", f.Base)
	conv := f.Conversion
	if conv == nil {
		conv = []StageConversion{}
	}
	o.add("conversion", conv)
	steps := f.Steps
	if steps == nil {
		steps = []StepRate{}
	}
	o.add("steps", steps)
}

// MarshalJSON writes the funnel as a flat object: {<stage>: count, …,
// "mature_leads", "open_leads", "open_share", "immature", "base",
// "conversion", "steps"}.
func (f Funnel) MarshalJSON() ([]byte, error) {
	var o object
	o.addFunnel(f)
	return o.bytes()
}

// MarshalJSON writes {"channel": …} followed by the funnel's flat fields.
func (r ChannelRow) MarshalJSON() ([]byte, error) {
	var o object
	o.add("channel", r.Channel)
	o.addFunnel(r.Funnel)
	return o.bytes()
}

// MarshalJSON writes {"action": …} followed by the funnel's flat fields,
// "lift" and, when a calibration gave one, "adjusted".
func (r ActionRow) MarshalJSON() ([]byte, error) {
	var o object
	o.add("action", r.Action)
	o.addFunnel(r.Funnel)
	lift := r.Lift
	if lift == nil {
		lift = []Lift{}
	}
	o.add("lift", lift)
	if r.Adjusted != nil {
		o.add("adjusted", r.Adjusted)
	}
	return o.bytes()
}

// MarshalJSON writes {"month": …} followed by the funnel's flat fields.
func (r MonthRow) MarshalJSON() ([]byte, error) {
	var o object
	o.add("month", r.Month)
	o.addFunnel(r.Funnel)
	return o.bytes()
}

// MarshalJSON writes {"value": …} followed by the funnel's flat fields.
func (r AttributeRow) MarshalJSON() ([]byte, error) {
	var o object
	o.add("value", r.Value)
	o.addFunnel(r.Funnel)
	return o.bytes()
}

// MarshalJSON writes {"month": …, <stage>: entries, …, "partial": …}.
func (r PeriodRow) MarshalJSON() ([]byte, error) {
	var o object
	o.add("month", r.Month)
	for _, s := range r.Entries {
		o.add(s.Stage, s.Leads)
	}
	o.add("partial", r.Partial)
	return o.bytes()
}
