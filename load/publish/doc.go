// Package publish puts a written set in place: staged, then swapped in whole
// with its manifest, and copied to a remote (S3).
package publish
