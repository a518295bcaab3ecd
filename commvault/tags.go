package commvault

import (
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// companyEntityType is the entity type of a company in the Tags API:
// 61, COMPANY_ENTITY (the REST reference's 64, PROVIDER_ENTITY, is
// another entity; cvpysdk and Commvault's create answer, whose
// response.entity._type_ is 61, use 61).
const companyEntityType = 61

// entityTagWire is one entity's tags: PUT Tags sends it, GET Tags answers
// it (under tags).
type entityTagWire struct {
	EntityID   int   `json:"entityId" xml:"entityId,attr"`
	EntityType int   `json:"entityType" xml:"entityType,attr"`
	Tag        []Tag `json:"tag" xml:"tag"`
}

// setTagsRequest is PUT Tags' body. The XML root's name is not published
// (App_SetEntityTagsRequest is this package's).
type setTagsRequest struct {
	XMLName   xml.Name        `json:"-" xml:"App_SetEntityTagsRequest"`
	EntityTag []entityTagWire `json:"entityTag" xml:"entityTag"`
}

// tagsEnvelope is GET Tags' answer:
// {"tags":[{"entityType":61,"entityId":N,"tag":[{"id":..,"name":..,"value":..}]}]};
// without tags the server leaves "tags" out.
type tagsEnvelope struct {
	errFields
	Tags []struct {
		EntityID Int   `json:"entityId" xml:"entityId,attr"`
		Tag      []Tag `json:"tag" xml:"tag"`
	} `json:"tags" xml:"tags"`
}

// Tags returns a company's tags (GET Tags/PROVIDER_ENTITY/{id}); none is
// an empty slice. An id that is not positive is refused before any I/O
// (ErrInvalidArgument); a company that does not exist is an *APIError
// matching ErrNotFound.
//
// API doc: https://documentation.commvault.com/v11/essential/142105_rest_api_get_entity_tags.html
func (s *OrganizationsService) Tags(ctx context.Context, id int) ([]Tag, *Response, error) {
	if err := checkID(id); err != nil {
		return nil, nil, err
	}
	var env tagsEnvelope
	resp, err := s.c.do(ctx, s.c.request(http.MethodGet, "Tags", "PROVIDER_ENTITY", strconv.Itoa(id)), func(_ *http.Response, body []byte) error {
		env = tagsEnvelope{}
		return classifyWrite(writeOther, decodeBody(body, &env, false))
	})
	if err != nil {
		return nil, resp, err
	}
	tags := []Tag{}
	for _, e := range env.Tags {
		// The answer is about this company; an entry for another entity
		// (which a server should not send) is not its tags.
		if int(e.EntityID) == id || e.EntityID == 0 {
			tags = append(tags, e.Tag...)
		}
	}
	return tags, resp, nil
}

// SetTags sets a company's tags (PUT Tags with entityType 61, the
// company entity), as the official Python SDK's tags setter does. Each tag
// needs a name; an empty list, an id that is not positive, or a tag
// without a name is refused before any I/O (ErrInvalidArgument). A company
// that does not exist is an *APIError matching ErrNotFound. SetTags is a
// write: it is never sent twice, although PUT is idempotent in HTTP.
//
// API doc: https://api.commvault.com/docs/SP36/api/cv/EntityTags/create-tags
func (s *OrganizationsService) SetTags(ctx context.Context, id int, tags []Tag) (*Response, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, invalidArgument("no tags to set")
	}
	out := make([]Tag, len(tags))
	for i, t := range tags {
		name := strings.TrimSpace(t.Name)
		if name == "" {
			return nil, invalidArgument("tags[%d]: tag name is required and must not be blank", i)
		}
		out[i] = Tag{Name: name, Value: t.Value}
	}
	body := &setTagsRequest{EntityTag: []entityTagWire{{EntityID: id, EntityType: companyEntityType, Tag: out}}}
	return s.c.write(ctx, writeOther, http.MethodPut, nil, body, nil, "Tags")
}
