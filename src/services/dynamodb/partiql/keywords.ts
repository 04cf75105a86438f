/**
 * The words PartiQL reserves: SQL-92's reserved words and PartiQL's own. DynamoDB's parser reads
 * one of them written bare as the keyword, never as an attribute or table name, so
 * `WHERE value = 1` is a syntax error and `WHERE "value" = 1` is not. The date parts (`year`,
 * `month` …) are not reserved.
 */
const KEYWORDS: ReadonlySet<string> = new Set(
  `absolute action add all allocate alter and any are as asc assertion at authorization avg begin
  between bit bit_length by cascade cascaded case cast catalog char char_length character
  character_length check close coalesce collate collation column commit connect connection
  constraint constraints continue convert corresponding count create cross current current_date
  current_time current_timestamp current_user cursor date deallocate dec decimal declare default
  deferrable deferred delete desc describe descriptor diagnostics disconnect distinct domain double
  drop else end escape except exception exec execute exists external extract false fetch first
  float for foreign found from full get global go goto grant group having identity immediate in
  indicator initially inner input insensitive insert int integer intersect interval into is
  isolation join key language last left level like local lower match max min module names national
  natural nchar next no not null nullif numeric octet_length of on only open option or order outer
  output overlaps pad partial position precision prepare preserve primary prior privileges
  procedure public read real references relative restrict revoke right rollback rows schema scroll
  section select session session_user set size smallint some space sql sqlcode sqlerror sqlstate
  substring sum system_user table temporary then time timestamp to transaction translate
  translation trim true union unique unknown update upper usage user using value values view when
  whenever where with work write zone missing pivot unpivot limit offset tuple remove index
  conflict do nothing returning modified new old let bool boolean string symbol clob blob struct
  list sexp bag`
    .split(/\s+/)
    .filter((word) => word !== ''),
);

export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toLowerCase());
}
