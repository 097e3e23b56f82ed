module github.com/calldash/calldash

go 1.23

require (
	github.com/Masterminds/squirrel v1.5.4
	github.com/google/go-cmp v0.7.0
	github.com/shopspring/decimal v1.6.0
)

require (
	github.com/lann/builder v0.0.0-20180802200727-47ae307949d0 // indirect
	github.com/lann/ps v0.0.0-20150810152359-62de8c46ede0 // indirect
)
