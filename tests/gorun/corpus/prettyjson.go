// A JSON-like pretty printer written by hand: a tree of any (maps sorted by
// key, slices, strings quoted, numbers, bools, nil), indented output built
// with strings.Builder, and a document generated large enough to allocate.
package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

func write(b *strings.Builder, v any, indent int) {
	pad := strings.Repeat("  ", indent)
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		b.WriteString(strconv.Quote(x))
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range x {
			b.WriteString(pad + "  ")
			write(b, e, indent+1)
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(pad + "]")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("{\n")
		for i, k := range keys {
			b.WriteString(pad + "  " + strconv.Quote(k) + ": ")
			write(b, x[k], indent+1)
			if i < len(keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(pad + "}")
	default:
		b.WriteString(fmt.Sprintf("%q", fmt.Sprint(x)))
	}
}

func Pretty(v any) string {
	var b strings.Builder
	write(&b, v, 0)
	return b.String()
}

func main() {
	doc := map[string]any{
		"name":    "gomem",
		"version": 1.27,
		"tags":    []any{"gc", "heap", "model"},
		"nested":  map[string]any{"ok": true, "none": nil, "list": []any{1, 2.5, "three", []any{}}},
		"quote":   "say \"hi\"\n",
	}
	fmt.Println(Pretty(doc))
	var items []any
	for i := 0; i < 400; i++ {
		items = append(items, map[string]any{"id": i, "name": "item" + strconv.Itoa(i), "even": i%2 == 0,
			"children": []any{i * 2, float64(i) / 4}})
	}
	out := Pretty(map[string]any{"items": items})
	fmt.Println(len(out), strings.Count(out, "\n"))
	lines := strings.Split(out, "\n")
	fmt.Println(strings.Join(lines[:12], "\n"))
}
