package main

type Account struct {
	ID      int
	Balance int64
}

type Bank struct {
	accounts []Account
}

// find returns a pointer into the receiver's slice.
func (b *Bank) find(id int) *Account {
	for i := range b.accounts {
		if b.accounts[i].ID == id {
			return &b.accounts[i]
		}
	}
	return nil
}

func balanceOf(id int) int64 {
	acct := Account{ID: id, Balance: 100}
	p := &acct
	return p.Balance
}

func main() {
	b := &Bank{accounts: []Account{{1, 10}, {2, 20}}}
	if a := b.find(2); a != nil {
		a.Balance += 5
	}
	println(balanceOf(7))
}
