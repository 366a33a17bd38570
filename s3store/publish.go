package s3store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/salesops/salesops/load/publish"
)

// Remote is a publish.Remote under s3://bucket/prefix.
type Remote struct {
	c *Client
	u URL
}

// Remote returns the publication target at u.
func (c *Client) Remote(u URL) *Remote { return &Remote{c: c, u: u} }

// URL names a key under the prefix.
func (r *Remote) URL(rel string) string { return "s3://" + r.u.Bucket + "/" + r.u.Key(rel) }

// PutFile uploads the file at local in one PUT. The body is the open file:
// the SDK seeks back to the start on a retry and hashes it for the SigV4
// payload signature, which the server checks.
func (r *Remote) PutFile(ctx context.Context, rel, local string, meta publish.ObjectMeta) error {
	key := r.u.Key(rel)
	f, err := os.Open(local)
	if err != nil {
		return fmt.Errorf("s3://%s/%s: %w", r.u.Bucket, key, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("s3://%s/%s: %w", r.u.Bucket, key, err)
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(r.u.Bucket),
		Key:           aws.String(key),
		Body:          f,
		ContentLength: aws.Int64(info.Size()),
		ContentType:   aws.String(meta.ContentType),
	}
	if meta.SHA256 != "" {
		in.Metadata = map[string]string{"sha256": meta.SHA256}
	}
	if _, err := r.c.s3.PutObject(ctx, in); err != nil {
		return r.c.explain("put", r.u.Bucket, key, err)
	}
	return nil
}

// SHA256 returns the sha256 metadata PutFile stored with the object at rel
// (one HEAD request), or "" when there is no such object.
func (r *Remote) SHA256(ctx context.Context, rel string) (string, error) {
	key := r.u.Key(rel)
	out, err := r.c.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.u.Bucket), Key: aws.String(key)})
	if err != nil {
		var api smithy.APIError
		if errors.As(err, &api) && (api.ErrorCode() == "NotFound" || api.ErrorCode() == "NoSuchKey") {
			return "", nil
		}
		return "", r.c.explain("head", r.u.Bucket, key, err)
	}
	return out.Metadata["sha256"], nil
}

// Keys lists the keys under rel (relative to the prefix), relative too.
func (r *Remote) Keys(ctx context.Context, rel string) ([]string, error) {
	prefix := r.u.Key(rel)
	var keys []string
	pages := s3.NewListObjectsV2Paginator(r.c.s3, &s3.ListObjectsV2Input{Bucket: aws.String(r.u.Bucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, r.c.explain("list", r.u.Bucket, prefix, err)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			if r.u.Prefix != "" {
				k = strings.TrimPrefix(k, r.u.Prefix+"/")
			}
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// Delete removes keys (relative to the prefix), 1,000 per request, the
// API's bound.
func (r *Remote) Delete(ctx context.Context, rels []string) error {
	for len(rels) > 0 {
		n := min(len(rels), 1000)
		var ids []types.ObjectIdentifier
		for _, rel := range rels[:n] {
			ids = append(ids, types.ObjectIdentifier{Key: aws.String(r.u.Key(rel))})
		}
		out, err := r.c.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{
			Bucket: aws.String(r.u.Bucket),
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		if err != nil {
			return r.c.explain("delete", r.u.Bucket, r.u.Key(rels[0]), err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return fmt.Errorf("s3://%s/%s: delete: %s %s", r.u.Bucket, aws.ToString(e.Key), aws.ToString(e.Code), oneLine(aws.ToString(e.Message)))
		}
		rels = rels[n:]
	}
	return nil
}
