// Package readme holds the code snippets of the repository's README.md as
// compiled, tested functions and runnable examples: TestSnippets fails
// when a snippet of the README differs from its region here, so the README
// cannot show code that does not build.
package readme
