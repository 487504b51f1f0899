// Command stdgen writes Go-syntax declaration stubs of standard-library
// packages for gomem's escape analysis (see gen_stdlib.py, which runs it and
// adds the compiler's parameter tags).
//
// Output (JSON on stdout): per package, its stub text and, per function or
// method, the source positions of its parameters (receiver first), so that
// the compiler's -m diagnostics can be matched to them.
package main

import (
	"encoding/json"
	"fmt"
	"go/constant"
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strings"
)

type param struct {
	Name string `json:"name"`
	Pos  string `json:"pos"`
}

type fn struct {
	Key     string   `json:"key"` // "F" or "T.M" / "*T.M"
	Params  []param  `json:"params"`
	Results []string `json:"results"`
}

type pkgOut struct {
	Path  string `json:"path"`
	Name  string `json:"name"`
	Stub  string `json:"stub"`
	Funcs []fn   `json:"funcs"`
	Full  bool   `json:"full"`
}

var (
	fset  = token.NewFileSet()
	imp   = importer.ForCompiler(fset, "source", nil)
	sizes = types.SizesFor("gc", "amd64")
)

type gen struct {
	full    map[string]bool           // curated packages: every exported declaration
	pkgs    map[string]*types.Package // every package touched
	types   map[*types.TypeName]bool  // named types to emit
	queue   []*types.TypeName
	imports map[string]map[string]bool // pkg path -> imported paths
	// package-level aliases mentioned by emitted declarations (type x = y)
	aliases    map[*types.TypeName]bool
	aliasQueue []*types.TypeName
}

func (g *gen) qual(from *types.Package) types.Qualifier {
	return func(p *types.Package) string {
		if p == from {
			return ""
		}
		if g.imports[from.Path()] == nil {
			g.imports[from.Path()] = map[string]bool{}
		}
		g.imports[from.Path()][p.Path()] = true
		g.pkgs[p.Path()] = p
		return p.Name()
	}
}

// need records the named types that t mentions.
func (g *gen) need(t types.Type) {
	switch t := t.(type) {
	case *types.Named:
		tn := t.Obj()
		if tn.Pkg() == nil { // error, comparable
			return
		}
		if t.TypeArgs().Len() > 0 {
			for i := 0; i < t.TypeArgs().Len(); i++ {
				g.need(t.TypeArgs().At(i))
			}
			tn = t.Origin().Obj()
		}
		if !g.types[tn] {
			g.types[tn] = true
			g.pkgs[tn.Pkg().Path()] = tn.Pkg()
			g.queue = append(g.queue, tn)
		}
	case *types.Alias:
		if tn := t.Obj(); tn.Pkg() != nil && tn.Parent() == tn.Pkg().Scope() && !g.aliases[tn] {
			g.aliases[tn] = true
			g.pkgs[tn.Pkg().Path()] = tn.Pkg()
			g.aliasQueue = append(g.aliasQueue, tn)
		}
		g.need(types.Unalias(t))
	case *types.Pointer:
		g.need(t.Elem())
	case *types.Slice:
		g.need(t.Elem())
	case *types.Array:
		g.need(t.Elem())
	case *types.Map:
		g.need(t.Key())
		g.need(t.Elem())
	case *types.Chan:
		g.need(t.Elem())
	case *types.Signature:
		for i := 0; i < t.Params().Len(); i++ {
			g.need(t.Params().At(i).Type())
		}
		for i := 0; i < t.Results().Len(); i++ {
			g.need(t.Results().At(i).Type())
		}
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			g.need(t.Field(i).Type())
		}
	case *types.Interface:
		for i := 0; i < t.NumMethods(); i++ {
			g.need(t.Method(i).Type())
		}
		for i := 0; i < t.NumEmbeddeds(); i++ {
			g.need(t.EmbeddedType(i))
		}
	}
}

func posString(p token.Pos) string {
	if !p.IsValid() {
		return ""
	}
	pp := fset.Position(p)
	return fmt.Sprintf("%s:%d:%d", pp.Filename, pp.Line, pp.Column)
}

func isGenericSig(s *types.Signature) bool {
	return s.TypeParams().Len() > 0 || s.RecvTypeParams().Len() > 0
}

func (g *gen) sig(from *types.Package, s *types.Signature) string {
	q := g.qual(from)
	var b strings.Builder
	b.WriteString("(")
	params := s.Params()
	named := false
	for i := 0; i < params.Len(); i++ {
		if params.At(i).Name() != "" {
			named = true
		}
	}
	for i := 0; i < params.Len(); i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		p := params.At(i)
		if named {
			n := p.Name()
			if n == "" {
				n = "_"
			}
			b.WriteString(n + " ")
		}
		if s.Variadic() && i == params.Len()-1 {
			b.WriteString("..." + types.TypeString(p.Type().(*types.Slice).Elem(), q))
		} else {
			b.WriteString(types.TypeString(p.Type(), q))
		}
	}
	b.WriteString(")")
	res := s.Results()
	if res.Len() > 0 {
		rnamed := false
		for i := 0; i < res.Len(); i++ {
			if res.At(i).Name() != "" {
				rnamed = true
			}
		}
		b.WriteString(" (")
		for i := 0; i < res.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			r := res.At(i)
			if rnamed {
				n := r.Name()
				if n == "" {
					n = "_"
				}
				b.WriteString(n + " ")
			}
			b.WriteString(types.TypeString(r.Type(), q))
		}
		b.WriteString(")")
	}
	return b.String()
}

func (g *gen) tparams(from *types.Package, tps *types.TypeParamList) string {
	q := g.qual(from)
	var parts []string
	for i := 0; i < tps.Len(); i++ {
		tp := tps.At(i)
		c := tp.Constraint()
		cs := types.TypeString(c, q)
		if it, ok := c.(*types.Interface); ok && it.IsImplicit() && it.NumEmbeddeds() == 1 {
			cs = types.TypeString(it.EmbeddedType(0), q)
		}
		g.need(c)
		parts = append(parts, tp.Obj().Name()+" "+cs)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func resultNames(s *types.Signature) []string {
	var out []string
	for i := 0; i < s.Results().Len(); i++ {
		n := s.Results().At(i).Name()
		if n == "" || n == "_" {
			n = fmt.Sprintf("~r%d", i)
		}
		out = append(out, n)
	}
	return out
}

func paramList(s *types.Signature) []param {
	var ps []param
	if r := s.Recv(); r != nil {
		ps = append(ps, param{r.Name(), posString(r.Pos())})
	}
	for i := 0; i < s.Params().Len(); i++ {
		p := s.Params().At(i)
		ps = append(ps, param{p.Name(), posString(p.Pos())})
	}
	return ps
}

func main() {
	g := &gen{
		full:    map[string]bool{},
		pkgs:    map[string]*types.Package{},
		types:   map[*types.TypeName]bool{},
		imports: map[string]map[string]bool{},
		aliases: map[*types.TypeName]bool{},
	}
	for _, path := range os.Args[1:] {
		p, err := imp.Import(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		g.full[path] = true
		g.pkgs[path] = p
	}
	decls := map[string]*strings.Builder{}
	funcs := map[string][]fn{}
	out := func(path string) *strings.Builder {
		if decls[path] == nil {
			decls[path] = &strings.Builder{}
		}
		return decls[path]
	}
	// Curated packages: every exported object.
	var paths []string
	for p := range g.full {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		p := g.pkgs[path]
		sc := p.Scope()
		for _, name := range sc.Names() {
			obj := sc.Lookup(name)
			if !obj.Exported() {
				continue
			}
			b := out(path)
			q := g.qual(p)
			switch o := obj.(type) {
			case *types.Const:
				g.need(o.Type())
				val := o.Val()
				vs := val.ExactString()
				if val.Kind() == constant.Float {
					f, _ := constant.Float64Val(val)
					vs = fmt.Sprintf("%v", f)
					if !strings.ContainsAny(vs, ".e") {
						vs += ".0"
					}
				}
				if b, ok := o.Type().(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
					fmt.Fprintf(out(path), "const %s = %s\n", name, vs)
				} else {
					fmt.Fprintf(out(path), "const %s %s = %s\n", name, types.TypeString(o.Type(), q), vs)
				}
			case *types.Var:
				g.need(o.Type())
				fmt.Fprintf(b, "var %s %s\n", name, types.TypeString(o.Type(), q))
			case *types.Func:
				s := o.Type().(*types.Signature)
				if isGenericSig(s) {
					// the signature only: calls are typed, their tags are unknown
					fmt.Fprintf(b, "//gomem:generic %s\n", name)
					if s.RecvTypeParams().Len() == 0 {
						g.need(s)
						fmt.Fprintf(b, "func %s%s%s\n", name, g.tparams(p, s.TypeParams()), g.sig(p, s))
					}
					continue
				}
				g.need(s)
				fmt.Fprintf(b, "func %s%s\n", name, g.sig(p, s))
				funcs[path] = append(funcs[path], fn{name, paramList(s), resultNames(s)})
			case *types.TypeName:
				if o.IsAlias() {
					g.need(types.Unalias(o.Type()))
					fmt.Fprintf(b, "type %s = %s\n", name, types.TypeString(types.Unalias(o.Type()), q))
					continue
				}
				g.need(o.Type())
			}
		}
	}
	// Named types (and their methods), and the aliases they mention, transitively.
	for len(g.queue) > 0 || len(g.aliasQueue) > 0 {
		if len(g.queue) == 0 {
			tn := g.aliasQueue[0]
			g.aliasQueue = g.aliasQueue[1:]
			if g.full[tn.Pkg().Path()] && tn.Exported() {
				continue // already written with the package's exported declarations
			}
			fmt.Fprintf(out(tn.Pkg().Path()), "type %s = %s\n", tn.Name(), types.TypeString(types.Unalias(tn.Type()), g.qual(tn.Pkg())))
			continue
		}
		tn := g.queue[0]
		g.queue = g.queue[1:]
		p := tn.Pkg()
		path := p.Path()
		q := g.qual(p)
		b := out(path)
		named := tn.Type().(*types.Named)
		if named.TypeParams().Len() > 0 {
			fmt.Fprintf(b, "//gomem:generic %s\n", tn.Name())
			continue
		}
		u := named.Underlying()
		if st, ok := u.(*types.Struct); ok {
			var fields []string
			for i := 0; i < st.NumFields(); i++ {
				f := st.Field(i)
				if !f.Embedded() && !f.Exported() {
					continue
				}
				g.need(f.Type())
				ts := types.TypeString(f.Type(), q)
				if f.Embedded() {
					fields = append(fields, ts)
				} else {
					fields = append(fields, f.Name()+" "+ts)
				}
			}
			fmt.Fprintf(b, "//gomem:layout %d %d %v\n", sizes.Sizeof(named), sizes.Alignof(named), hasPointers(u))
			fmt.Fprintf(b, "type %s struct{%s}\n", tn.Name(), strings.Join(fields, "; "))
		} else {
			g.need(u)
			fmt.Fprintf(b, "type %s %s\n", tn.Name(), types.TypeString(u, q))
		}
		for i := 0; i < named.NumMethods(); i++ {
			m := named.Method(i)
			if !m.Exported() {
				continue
			}
			s := m.Type().(*types.Signature)
			g.need(s)
			recv := s.Recv()
			rt := types.TypeString(recv.Type(), q)
			rn := recv.Name()
			if rn == "" {
				rn = "_"
			}
			fmt.Fprintf(b, "func (%s %s) %s%s\n", rn, rt, m.Name(), g.sig(p, s))
			key := rt + "." + m.Name()
			funcs[path] = append(funcs[path], fn{key, paramList(s), resultNames(s)})
		}
	}
	var res []pkgOut
	var all []string
	for p := range decls {
		all = append(all, p)
	}
	sort.Strings(all)
	for _, path := range all {
		p := g.pkgs[path]
		var hdr strings.Builder
		fmt.Fprintf(&hdr, "package %s\n\n", p.Name())
		var ims []string
		for ip := range g.imports[path] {
			ims = append(ims, ip)
		}
		sort.Strings(ims)
		for _, ip := range ims {
			fmt.Fprintf(&hdr, "import %s %q\n", g.pkgs[ip].Name(), ip)
		}
		hdr.WriteString("\n")
		res = append(res, pkgOut{Path: path, Name: p.Name(), Stub: hdr.String() + decls[path].String(), Funcs: funcs[path], Full: g.full[path]})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(res); err != nil {
		panic(err)
	}
}

func hasPointers(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return t.Kind() == types.String || t.Kind() == types.UnsafePointer
	case *types.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if hasPointers(t.Field(i).Type()) {
				return true
			}
		}
		return false
	default:
		return true
	}
}
