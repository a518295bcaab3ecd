package main

// The company lifecycle (issue 20): -create NAME -alias A [-plan P]...
// [-tag k=v]..., -deactivate ID, -activate ID, -delete ID (Deactivate
// first: the server deletes only a deactivated company, and this program,
// like the SDK, never deactivates on its own), and -tags ID [-tag k=v]...
// to show or set a company's tags. Each write is sent once: a failure
// after it may have reached the server is reported, never retried.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/orgsdk/orgsdk/commvault"
	"github.com/orgsdk/orgsdk/examples/internal/cli"
)

// repeated is a repeatable string flag.
type repeated []string

func (r *repeated) String() string { return strings.Join(*r, ",") }

func (r *repeated) Set(v string) error {
	*r = append(*r, v)
	return nil
}

// tagFlags is the repeatable -tag k=v.
type tagFlags []commvault.Tag

func (t *tagFlags) String() string { return fmt.Sprint(*t) }

func (t *tagFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	*t = append(*t, commvault.Tag{Name: k, Value: val})
	return nil
}

// lifecycle holds the lifecycle's flags.
type lifecycle struct {
	create     *string
	alias      *string
	plans      repeated
	tags       tagFlags
	deactivate *int
	activate   *int
	del        *int
	showTags   *int
}

func addLifecycleFlags(fs *flag.FlagSet) *lifecycle {
	l := &lifecycle{
		create:     fs.String("create", "", "create a company named `NAME` (needs -alias) instead of listing"),
		alias:      fs.String("alias", "", "the alias (domain or NetBIOS name) of the company -create makes"),
		deactivate: fs.Int("deactivate", 0, "deactivate the company with this `id` (backup, restore and login)"),
		activate:   fs.Int("activate", 0, "activate the company with this `id` again"),
		del:        fs.Int("delete", 0, "delete the company with this `id` (deactivate it first)"),
		showTags:   fs.Int("tags", 0, "show the tags of the company with this `id`, or set them with -tag"),
	}
	fs.Var(&l.plans, "plan", "a plan for -create, by `id or name`; repeatable")
	fs.Var(&l.tags, "tag", "a tag `key=value` for -create or -tags; repeatable")
	return l
}

// mode names the lifecycle operation asked for ("" for none), or says
// which flags do not go together.
func (l *lifecycle) mode(get bool) (string, error) {
	var modes []string
	for _, m := range []struct {
		name string
		on   bool
	}{{"-get", get}, {"-create", *l.create != ""}, {"-deactivate", *l.deactivate != 0}, {"-activate", *l.activate != 0},
		{"-delete", *l.del != 0}, {"-tags", *l.showTags != 0}} {
		if m.on {
			modes = append(modes, m.name)
		}
	}
	if len(modes) > 1 {
		return "", fmt.Errorf("%s exclude each other: give one", strings.Join(modes, " and "))
	}
	mode := ""
	if len(modes) == 1 {
		mode = modes[0]
	}
	switch {
	case mode != "-create" && (*l.alias != "" || len(l.plans) > 0):
		return "", errors.New("-alias and -plan go with -create")
	case mode == "-create" && strings.TrimSpace(*l.alias) == "":
		return "", errors.New("-create needs -alias (the company's domain or NetBIOS name)")
	case mode != "-create" && mode != "-tags" && len(l.tags) > 0:
		return "", errors.New("-tag goes with -create or -tags")
	}
	return mode, nil
}

func (l *lifecycle) run(ctx context.Context, cmd *cli.Command, c *commvault.Client, mode string) error {
	orgs := c.Organizations
	switch mode {
	case "-create":
		in := &commvault.OrganizationInput{Name: *l.create, Alias: *l.alias}
		for _, p := range l.plans {
			if id, err := strconv.Atoi(p); err == nil {
				in.Plans = append(in.Plans, commvault.PlanRef{PlanID: commvault.Int(id)})
			} else {
				in.Plans = append(in.Plans, commvault.PlanRef{PlanName: p})
			}
		}
		created, _, err := orgs.Create(ctx, in)
		if err != nil {
			return err
		}
		if cmd.JSON {
			if err := cmd.PrintJSON(created); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(cmd.Stdout(), "%d  %s (alias %s, GUID %s)\n", created.ID, strings.TrimSpace(in.Name), created.Alias, created.GUID)
		}
		cmd.Infof("commvault: company %d created", created.ID)
		if len(l.tags) > 0 {
			if _, err := orgs.SetTags(ctx, created.ID, l.tags); err != nil {
				return fmt.Errorf("company %d was created, but its tags were not set: %w", created.ID, err)
			}
			cmd.Infof("commvault: %d tags set on company %d", len(l.tags), created.ID)
		}
	case "-deactivate":
		if _, err := orgs.Deactivate(ctx, *l.deactivate, nil); err != nil {
			return err
		}
		cmd.Infof("commvault: company %d deactivated (backup, restore and login disabled)", *l.deactivate)
	case "-activate":
		if _, err := orgs.Activate(ctx, *l.activate); err != nil {
			return err
		}
		cmd.Infof("commvault: company %d activated", *l.activate)
	case "-delete":
		if _, err := orgs.Delete(ctx, *l.del); err != nil {
			if errors.Is(err, commvault.ErrConflict) {
				cmd.Infof("commvault: the server deletes only a deactivated company: run -deactivate %d first", *l.del)
			}
			return err
		}
		cmd.Infof("commvault: company %d deleted", *l.del)
	case "-tags":
		id := *l.showTags
		if len(l.tags) > 0 {
			if _, err := orgs.SetTags(ctx, id, l.tags); err != nil {
				return err
			}
			cmd.Infof("commvault: %d tags set on company %d", len(l.tags), id)
			return nil
		}
		tags, _, err := orgs.Tags(ctx, id)
		if err != nil {
			return err
		}
		for _, t := range tags {
			if cmd.JSON {
				if err := cmd.PrintJSON(t); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(cmd.Stdout(), "%s=%s\n", t.Name, t.Value)
		}
		cmd.Infof("commvault: company %d has %d tags", id, len(tags))
	}
	return nil
}
