package main

// An expression tree evaluated through an interface.
type Expr interface {
	Eval(env map[string]float64) float64
}

type Num float64
type Var string
type Add struct{ L, R Expr }
type Mul struct{ L, R Expr }

func (n Num) Eval(map[string]float64) float64      { return float64(n) }
func (v Var) Eval(env map[string]float64) float64  { return env[string(v)] }
func (a *Add) Eval(env map[string]float64) float64 { return a.L.Eval(env) + a.R.Eval(env) }
func (m *Mul) Eval(env map[string]float64) float64 { return m.L.Eval(env) * m.R.Eval(env) }

func main() {
	// x*2 + 1
	e := &Add{L: &Mul{L: Var("x"), R: Num(2)}, R: Num(1)}
	env := map[string]float64{"x": 4}
	println(e.Eval(env))
}
