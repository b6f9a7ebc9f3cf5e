-- recoupe knowledge base (DuckDB). The only definition of the tables.
-- Every fact row has doc_id and, where it is read from text, start/end offsets into
-- documents.text and the stage that produced it. Lists are JSON arrays.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,          -- unique per run: start time (UTC) and a random suffix
    seq INTEGER NOT NULL,                -- 1, 2, ... in the order runs started
    command VARCHAR NOT NULL,
    status VARCHAR NOT NULL,             -- running | finished | failed
    config JSON NOT NULL,                -- resolved configuration
    versions JSON NOT NULL,              -- recoupe, stage ids and library versions
    input_fingerprint VARCHAR NOT NULL,  -- hash of every input's (source, fingerprint)
    counts JSON                          -- read/accepted/unchanged/duplicate/rejected/...
);

-- How every input of every run was accounted for.
CREATE TABLE IF NOT EXISTS inputs (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    doc_id VARCHAR,
    status VARCHAR NOT NULL,             -- accepted | unchanged | duplicate | rejected
    fingerprint VARCHAR,
    code VARCHAR,
    reason VARCHAR,
    message VARCHAR,
    duplicate_of VARCHAR
);

CREATE TABLE IF NOT EXISTS failures (
    run_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    message VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,        -- sha256 of the input bytes (or JSONL line)
    lines JSON NOT NULL,                 -- [[line number, raw text], ...] as ingested
    meta_lines JSON NOT NULL,            -- [[line number, reason], ...]
    title VARCHAR,
    outlet VARCHAR,
    author VARCHAR,
    section VARCHAR,
    dateline VARCHAR,
    url VARCHAR,
    published_value VARCHAR,
    published_basis VARCHAR NOT NULL,
    published_evidence VARCHAR,
    published_source VARCHAR,
    language VARCHAR NOT NULL,
    language_score DOUBLE NOT NULL,
    evidence JSON NOT NULL,              -- {field: where it was read}
    extras JSON NOT NULL,
    warnings JSON NOT NULL,
    text VARCHAR NOT NULL,               -- cleaned body; offsets of every fact index this
    paragraphs JSON NOT NULL,            -- [[start, end], ...]
    clean_key VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    nlp_key VARCHAR NOT NULL,            -- content_hash the nlp/temporal stages last annotated
    sentences JSON NOT NULL,             -- [[start, end], ...]
    signature UBIGINT[],                 -- MinHash signature
    duplicate_of VARCHAR,
    near_duplicates JSON NOT NULL,
    family VARCHAR,
    story VARCHAR,
    run_id VARCHAR NOT NULL              -- run that last wrote the row
);

CREATE TABLE IF NOT EXISTS removals (
    doc_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    kind VARCHAR NOT NULL,               -- boilerplate | duplicate | metadata
    reason VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    line INTEGER,
    source VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);

-- Body line keys per document: the evidence for cross-document (per-outlet) boilerplate.
CREATE TABLE IF NOT EXISTS doc_lines (
    doc_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    words INTEGER NOT NULL,
    prose BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS near_duplicates (
    a VARCHAR NOT NULL,
    b VARCHAR NOT NULL,
    jaccard DOUBLE NOT NULL,
    containment DOUBLE NOT NULL,
    source VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);

-- Time expressions (temporal stage): offsets into documents.text.
CREATE TABLE IF NOT EXISTS time_exprs (
    doc_id VARCHAR NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    type VARCHAR NOT NULL,               -- DATE | TIME | DURATION | SET
    value VARCHAR NOT NULL,              -- TimeML value
    start_day DATE,                      -- inclusive day interval, NULL when not anchored
    end_day DATE,
    granularity VARCHAR NOT NULL,
    "mod" VARCHAR,
    anchor VARCHAR NOT NULL,
    tense VARCHAR,
    governor VARCHAR,
    note VARCHAR,
    source VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);

-- Entity mentions (entities stage), offsets into documents.text; entity_id set by resolution.
CREATE TABLE IF NOT EXISTS mentions (
    doc_id VARCHAR NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    type VARCHAR NOT NULL,               -- PER | ORG | GPE | LOC | FAC | EVENT | EQUIPMENT | MISC
    name VARCHAR,                        -- the proper-name part; NULL for a mention by role only
    kind VARCHAR NOT NULL,               -- ner | acronym | epithet | metonym | surname | role | rule
    title VARCHAR,
    role VARCHAR,
    country VARCHAR,
    alias_of VARCHAR,
    entity_id VARCHAR,
    source VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    id VARCHAR PRIMARY KEY,
    type VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    aliases JSON NOT NULL,
    descriptions JSON NOT NULL,
    country VARCHAR,
    latitude DOUBLE,
    longitude DOUBLE,
    evidence JSON NOT NULL,              -- every merge: rule, names, score
    run_id VARCHAR NOT NULL
);

-- Human judgements on entities, by name; they persist across rebuilds.
CREATE TABLE IF NOT EXISTS judgements (
    seq INTEGER NOT NULL,
    action VARCHAR NOT NULL,             -- merge | split
    a VARCHAR NOT NULL,
    b VARCHAR
);

-- Events read from one sentence each (events stage); participants point at mentions by offsets.
CREATE TABLE IF NOT EXISTS events (
    doc_id VARCHAR NOT NULL,
    start INTEGER NOT NULL,              -- the sentence
    "end" INTEGER NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    plover VARCHAR,
    "mode" VARCHAR,
    modality VARCHAR NOT NULL,           -- asserted | reported | planned | hedged | negated
    reported_by VARCHAR,
    time_start DATE,
    time_end DATE,
    time_text VARCHAR,
    amount VARCHAR,
    participants JSON NOT NULL,          -- [{"start", "end", "text", "role"}]
    source VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    lemma VARCHAR                        -- the trigger's lemma
);

CREATE TABLE IF NOT EXISTS quotes (
    doc_id VARCHAR NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_text VARCHAR,
    verb VARCHAR,
    source VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);

-- Cross-checking (corpus stage, recomputed after each build): corpus events merged from the
-- per-article accounts, the accounts themselves (read, or derived), conflicts, stories, the
-- dependences between articles, and what each run's new articles added.
CREATE TABLE IF NOT EXISTS corpus_events (
    id VARCHAR PRIMARY KEY,
    type VARCHAR NOT NULL,
    plover VARCHAR,
    "mode" VARCHAR,
    label VARCHAR NOT NULL,
    time_start DATE,
    time_end DATE,
    time_text VARCHAR,
    place VARCHAR,                       -- entity id
    participants JSON NOT NULL,          -- [{"entity", "role"}]
    modality VARCHAR NOT NULL,
    sources JSON NOT NULL,               -- doc ids, earliest first
    groups JSON NOT NULL,                -- doc ids by dependent group
    independent_sources INTEGER NOT NULL,
    story VARCHAR,
    run_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS event_accounts (
    event_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    start INTEGER NOT NULL,              -- the sentence
    "end" INTEGER NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger VARCHAR NOT NULL,
    lemma VARCHAR,
    type VARCHAR NOT NULL,
    modality VARCHAR NOT NULL,
    reported_by VARCHAR,
    time_start DATE,
    time_end DATE,
    time_text VARCHAR,
    amount VARCHAR,
    place VARCHAR,
    participants JSON NOT NULL,          -- [{"entity", "role"}]
    derived VARCHAR,                     -- null: read in the text; presence: implied visit
    run_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS conflicts (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,               -- date | number | participant | place | outcome | other
    event_id VARCHAR NOT NULL,
    slot VARCHAR NOT NULL,
    "values" JSON NOT NULL,              -- [{"value", "sources", "independent_sources", "mentions"}]
    best VARCHAR,
    run_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    documents JSON NOT NULL,
    events JSON NOT NULL,
    news JSON NOT NULL,
    summary JSON NOT NULL,               -- [{"event", "doc", "start", "end", "text", "sources", "independent_sources"}]
    run_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS source_links (
    a VARCHAR NOT NULL,
    b VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,             -- family | outlet | agency | passage
    detail VARCHAR
);

CREATE TABLE IF NOT EXISTS novelty (
    run_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- adds | confirms | contradicts
    detail VARCHAR
);

-- What each corpus step read when it last ran (a hash of its input columns and the knowledge
-- settings). A step whose inputs hash the same is skipped: a build with nothing new runs none.
CREATE TABLE IF NOT EXISTS step_state (
    step VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
