{#- How the search reads text: lower case without accents, then words of letters and digits; a word may hold
    hyphens or apostrophes between its parts ('micro-credential', 'pilot’s'). app/text/query.py reads the query with
    the same expression (WORD there must equal the pattern here; a test checks it). -#}
{% macro search_words(text) -%}
    regexp_extract_all(lower(strip_accents({{ text }})), '[\pL\pN]+(?:[-''’‐‑][\pL\pN]+)*')
{%- endmacro %}

{#- The separators inside a word: a hyphen or apostrophe of any kind. -#}
{% macro search_word_separator() -%}
    '[-''’‐‑]'
{%- endmacro %}
