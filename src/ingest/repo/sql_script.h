// Splitting a SQL file into statements with the line range of each, so that sourceCode can point
// at the statement that produced a dataset. The splitter only needs to find top-level `;`: it
// skips `--` and `/* */` comments, '...' strings (with '' escapes), "..." and `...` quoted
// identifiers and PostgreSQL/Snowflake dollar quotes ($$...$$, $tag$...$tag$). Lines are 1-based
// and count from the start of the text given plus `first_line - 1` (front matter is cut off
// before splitting). A statement's range runs from its first to its last significant character,
// so leading comments are not part of it; comment-only stretches produce no statement.
//
// An unterminated string, quoted identifier, comment or dollar quote is reported in `error` and
// the rest of the file becomes the last statement.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tidemark::ingest {

struct SqlStatementText {
  std::string text;  // without the terminating ';'
  int start_line = 0;
  int end_line = 0;
};

struct SplitSql {
  std::vector<SqlStatementText> statements;
  std::string error;  // empty when the file was well formed
};

SplitSql SplitSqlStatements(std::string_view sql, int first_line = 1);

}  // namespace tidemark::ingest
