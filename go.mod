module github.com/orgsdk/orgsdk

go 1.24.0

require (
	github.com/google/go-querystring v1.2.0
	github.com/google/jsonapi v1.0.0
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/pmezard/go-difflib v1.0.0
	github.com/stretchr/testify v1.11.1
	go.uber.org/goleak v1.3.0
	golang.org/x/time v0.14.0
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/kr/text v0.2.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
