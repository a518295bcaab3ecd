package commvault

// Tag is a name and value attached to a company: what GET
// Tags/PROVIDER_ENTITY/{id} answers, what PUT Tags sends, and what a listed
// company carries under provider.tags.
//
// API doc: https://documentation.commvault.com/11.40/software/rest_api_get_tags.html
type Tag struct {
	Name  string `json:"name" xml:"name,attr"`
	Value string `json:"value" xml:"value,attr"`
}
