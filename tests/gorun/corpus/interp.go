// A tiny interpreter: a tokenizer, a recursive-descent parser building an
// AST of interface values (numbers, variables, binary ops, let, if), an
// evaluator with an environment map, and error values for bad input.
package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

type Token struct {
	Kind string // num, ident, op, eof
	Text string
}

func tokenize(src string) ([]Token, error) {
	var toks []Token
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			toks = append(toks, Token{"num", string(rs[i:j])})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			toks = append(toks, Token{"ident", string(rs[i:j])})
			i = j
		case strings.ContainsRune("+-*/()=<?:;", r):
			toks = append(toks, Token{"op", string(r)})
			i++
		default:
			return nil, fmt.Errorf("unexpected %q at %d", r, i)
		}
	}
	return append(toks, Token{"eof", ""}), nil
}

type Node interface {
	Eval(env map[string]int) (int, error)
	String() string
}

type Num int
type Var string
type Bin struct {
	Op   byte
	L, R Node
}
type Let struct {
	Name string
	Val  Node
	Body Node
}
type Cond struct{ C, T, F Node }

var ErrDivZero = errors.New("division by zero")

func (n Num) Eval(map[string]int) (int, error) { return int(n), nil }
func (n Num) String() string                   { return strconv.Itoa(int(n)) }
func (v Var) Eval(env map[string]int) (int, error) {
	if x, ok := env[string(v)]; ok {
		return x, nil
	}
	return 0, fmt.Errorf("undefined: %s", string(v))
}
func (v Var) String() string { return string(v) }
func (b *Bin) Eval(env map[string]int) (int, error) {
	l, err := b.L.Eval(env)
	if err != nil {
		return 0, err
	}
	r, err := b.R.Eval(env)
	if err != nil {
		return 0, err
	}
	switch b.Op {
	case '+':
		return l + r, nil
	case '-':
		return l - r, nil
	case '*':
		return l * r, nil
	case '/':
		if r == 0 {
			return 0, ErrDivZero
		}
		return l / r, nil
	case '<':
		if l < r {
			return 1, nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("bad op %c", b.Op)
}
func (b *Bin) String() string { return "(" + b.L.String() + " " + string(b.Op) + " " + b.R.String() + ")" }
func (l *Let) Eval(env map[string]int) (int, error) {
	v, err := l.Val.Eval(env)
	if err != nil {
		return 0, err
	}
	inner := make(map[string]int, len(env)+1)
	for k, x := range env {
		inner[k] = x
	}
	inner[l.Name] = v
	return l.Body.Eval(inner)
}
func (l *Let) String() string { return "let " + l.Name + " = " + l.Val.String() + "; " + l.Body.String() }
func (c *Cond) Eval(env map[string]int) (int, error) {
	v, err := c.C.Eval(env)
	if err != nil {
		return 0, err
	}
	if v != 0 {
		return c.T.Eval(env)
	}
	return c.F.Eval(env)
}
func (c *Cond) String() string { return c.C.String() + " ? " + c.T.String() + " : " + c.F.String() }

type Parser struct {
	toks []Token
	pos  int
}

func (p *Parser) peek() Token { return p.toks[p.pos] }
func (p *Parser) next() Token  { t := p.toks[p.pos]; p.pos++; return t }

func (p *Parser) expr() (Node, error) {
	if t := p.peek(); t.Kind == "ident" && t.Text == "let" {
		p.next()
		name := p.next()
		if p.next().Text != "=" {
			return nil, errors.New("expected =")
		}
		val, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.next().Text != ";" {
			return nil, errors.New("expected ;")
		}
		body, err := p.expr()
		if err != nil {
			return nil, err
		}
		return &Let{name.Text, val, body}, nil
	}
	c, err := p.binary(0)
	if err != nil {
		return nil, err
	}
	if p.peek().Text == "?" {
		p.next()
		t, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.next().Text != ":" {
			return nil, errors.New("expected :")
		}
		f, err := p.expr()
		if err != nil {
			return nil, err
		}
		return &Cond{c, t, f}, nil
	}
	return c, nil
}

var prec = map[string]int{"<": 1, "+": 2, "-": 2, "*": 3, "/": 3}

func (p *Parser) binary(min int) (Node, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		pr, ok := prec[t.Text]
		if t.Kind != "op" || !ok || pr <= min {
			return l, nil
		}
		p.next()
		r, err := p.binary(pr)
		if err != nil {
			return nil, err
		}
		l = &Bin{t.Text[0], l, r}
	}
}

func (p *Parser) primary() (Node, error) {
	t := p.next()
	switch {
	case t.Kind == "num":
		n, _ := strconv.Atoi(t.Text)
		return Num(n), nil
	case t.Kind == "ident":
		return Var(t.Text), nil
	case t.Text == "(":
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.next().Text != ")" {
			return nil, errors.New("expected )")
		}
		return e, nil
	}
	return nil, fmt.Errorf("unexpected token %q", t.Text)
}

func run(src string, env map[string]int) string {
	toks, err := tokenize(src)
	if err != nil {
		return "lex error: " + err.Error()
	}
	p := &Parser{toks: toks}
	ast, err := p.expr()
	if err != nil {
		return "parse error: " + err.Error()
	}
	v, err := ast.Eval(env)
	if errors.Is(err, ErrDivZero) {
		return ast.String() + " => runtime error: " + err.Error()
	}
	if err != nil {
		return ast.String() + " => error: " + err.Error()
	}
	return ast.String() + " => " + strconv.Itoa(v)
}

func main() {
	env := map[string]int{"x": 6, "y": 7}
	for _, src := range []string{
		"1 + 2 * 3", "(1 + 2) * 3", "x * y - 2", "let z = x + 1; z * z", "x < y ? 100 : 200",
		"10 / (y - 7)", "a + 1", "3 $ 4", "(1 + 2", "let a = 2; let b = a * a; b * b + a",
	} {
		fmt.Println(run(src, env))
	}
	// a bigger program: a long sum parsed and evaluated many times
	var sb strings.Builder
	for i := 0; i < 200; i++ {
		if i > 0 {
			sb.WriteString(" + ")
		}
		fmt.Fprintf(&sb, "%d * x", i%10)
	}
	long := sb.String()
	total := 0
	for i := 0; i < 30; i++ {
		env["x"] = i
		toks, _ := tokenize(long)
		p := &Parser{toks: toks}
		ast, _ := p.expr()
		v, _ := ast.Eval(env)
		total += v
	}
	fmt.Println("total", total)
}
