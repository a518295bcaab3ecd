module github.com/orgsdk/orgsdk

go 1.24

require (
	github.com/google/go-querystring v1.2.0
	github.com/google/jsonapi v1.0.0
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/pmezard/go-difflib v1.0.0
	github.com/stretchr/testify v1.11.1
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
