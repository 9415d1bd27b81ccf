-- The warehouse contract (shared/eval/CONTRACT.md) and the tables the pipeline needs around it.

CREATE TABLE articles (
    url            VARCHAR PRIMARY KEY,       -- canonical URL; a seed is 'seed:<file name>'
    title          VARCHAR,
    outlet         VARCHAR,
    published_at   TIMESTAMP,                 -- UTC
    fetched_at     TIMESTAMP NOT NULL,
    source         VARCHAR NOT NULL,          -- 'seed' or 'feed'
    feed_url       VARCHAR,
    content_hash   VARCHAR NOT NULL,
    on_topic       BOOLEAN NOT NULL,
    topic_score    DOUBLE NOT NULL,
    duplicate_of   VARCHAR,                   -- url of the earlier article this one repeats
    similarity     DOUBLE,                    -- estimated shingle Jaccard with duplicate_of
    minhash        UBIGINT[],
    text           VARCHAR NOT NULL
);
CREATE INDEX articles_hash ON articles (content_hash);

-- LSH bands of each article's MinHash signature: candidates for near-copies by indexed lookup.
-- Lookups go through single-column keys: DuckDB's ART indexes serve equality on one column.
CREATE TABLE article_bands (
    band_key  BIGINT NOT NULL,                -- hash of the band number and its rows
    url       VARCHAR NOT NULL
);
CREATE INDEX article_bands_key ON article_bands (band_key);

CREATE TABLE figures (
    figure_id     VARCHAR PRIMARY KEY,
    article_url   VARCHAR NOT NULL,
    subject       VARCHAR NOT NULL,
    metric        VARCHAR NOT NULL,
    metric_known  BOOLEAN NOT NULL,           -- metric from the topic profile, not guessed from a noun
    kind          VARCHAR NOT NULL,           -- 'level' or 'change'
    period        VARCHAR,                    -- '2023', 'FY2024', 'since 2022', 'per year' or NULL
    value         DOUBLE NOT NULL,
    low           DOUBLE NOT NULL,            -- the interval the wording allows
    high          DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    qualifier     VARCHAR NOT NULL,           -- exact, about, nearly, more_than, at_least, up_to, less_than
    raw           VARCHAR NOT NULL,           -- the figure as written
    evidence      VARCHAR NOT NULL,
    published_at  TIMESTAMP,
    outlet        VARCHAR,                    -- provenance copied from the article, so comparing needs no join
    is_copy       BOOLEAN NOT NULL DEFAULT false,
    claim_key     VARCHAR NOT NULL            -- subject, metric, period, kind, unit: what compares
);
CREATE INDEX figures_key ON figures (claim_key);

CREATE TABLE positions (
    position_id   VARCHAR PRIMARY KEY,
    article_url   VARCHAR NOT NULL,
    actor         VARCHAR NOT NULL,
    topic         VARCHAR NOT NULL,
    stance        VARCHAR NOT NULL,           -- 'support', 'oppose' or 'neutral'
    is_change     BOOLEAN NOT NULL,           -- the article reports this as a change of position
    historical    BOOLEAN NOT NULL,           -- the article places it in the past
    evidence      VARCHAR NOT NULL,
    published_at  TIMESTAMP,
    outlet        VARCHAR,
    is_copy       BOOLEAN NOT NULL DEFAULT false,
    claim_key     VARCHAR NOT NULL            -- actor and topic
);
CREATE INDEX positions_key ON positions (claim_key);

CREATE TABLE events (
    event_id        VARCHAR PRIMARY KEY,
    actor           VARCHAR,
    action          VARCHAR NOT NULL,
    target          VARCHAR,
    event_date      DATE,
    first_seen_url  VARCHAR NOT NULL,
    first_published TIMESTAMP,
    event_key       VARCHAR NOT NULL          -- action and target (as first reported)
);
CREATE INDEX events_key ON events (event_key);
CREATE INDEX events_action ON events (action);

CREATE TABLE event_mentions (
    event_id      VARCHAR NOT NULL,
    article_url   VARCHAR NOT NULL,
    actor         VARCHAR,
    event_date    DATE,
    evidence      VARCHAR NOT NULL,
    published_at  TIMESTAMP,
    outlet        VARCHAR,
    is_copy       BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (event_id, article_url, evidence)
);
CREATE INDEX event_mentions_event ON event_mentions (event_id);

CREATE TABLE alerts (
    alert_id         VARCHAR PRIMARY KEY,
    kind             VARCHAR NOT NULL,        -- 'figure', 'position' or 'event'
    article_url      VARCHAR NOT NULL,        -- the new report
    prior_url        VARCHAR NOT NULL,        -- the stored report it contradicts
    summary          VARCHAR NOT NULL,
    new_evidence     VARCHAR NOT NULL,
    prior_evidence   VARCHAR NOT NULL,
    confidence       DOUBLE NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    notified_at      TIMESTAMP,               -- NULL until delivered to every notification URL
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP,
    last_error       VARCHAR
);

-- Which notification target (by hash: URLs carry tokens) has received which alert.
CREATE TABLE alert_deliveries (
    alert_id      VARCHAR NOT NULL,
    target_hash   VARCHAR NOT NULL,
    delivered_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (alert_id, target_hash)
);

-- Inputs that could not be read, one row per URL, updated on each try.
CREATE TABLE failures (
    url          VARCHAR PRIMARY KEY,
    stage        VARCHAR NOT NULL,            -- feed, fetch, extract, store
    reason       VARCHAR NOT NULL,
    attempts     INTEGER NOT NULL,
    first_at     TIMESTAMP NOT NULL,
    last_at      TIMESTAMP NOT NULL
);

-- Health of each feed polled: updated in place, never one row per poll.
CREATE TABLE feed_status (
    feed_url          VARCHAR PRIMARY KEY,
    last_polled_at    TIMESTAMP,
    last_ok_at        TIMESTAMP,
    last_new_at       TIMESTAMP,
    last_error        VARCHAR,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    entries_seen      INTEGER NOT NULL DEFAULT 0,
    notified_state    VARCHAR                -- 'failing' or 'stale' once reported, NULL when healthy
);
