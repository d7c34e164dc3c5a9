// The PostgreSQL replay store's tables and its append function, in the store's own schema.
//
//   streams  one row per stream: format, credential binding (a keyed hash, never a secret),
//            the writer replica and its lease, positions (last appended, first kept), bytes
//            kept, the end, when it ended
//   records  (stream, position) -> kind, event, id, retry, data, size; deleted with the stream
//   append_record(...)  one round trip per record: checks the writer, inserts, evicts the oldest
//            records beyond the records/bytes bounds, renews the lease, NOTIFYs the channel
//
// Created at start-up under an advisory lock, so replicas starting together do not race.

import Logging
import PostgresNIO

extension PostgresReplayStore {
    /// The statements that create the schema, in order (idempotent).
    static func schemaStatements(_ s: String) -> [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \(s)",
            """
            CREATE TABLE IF NOT EXISTS \(s).streams (
              id text PRIMARY KEY,
              format text NOT NULL,
              binding bytea,
              writer text NOT NULL,
              lease_until timestamptz NOT NULL,
              last_position bigint NOT NULL DEFAULT 0,
              first_kept bigint NOT NULL DEFAULT 1,
              bytes bigint NOT NULL DEFAULT 0,
              end_kind text,
              end_message text,
              created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
              ended_at timestamptz)
            """,
            "CREATE INDEX IF NOT EXISTS streams_ended_at ON \(s).streams (ended_at)",
            "CREATE INDEX IF NOT EXISTS streams_writer ON \(s).streams (writer) WHERE end_kind IS NULL",
            """
            CREATE TABLE IF NOT EXISTS \(s).records (
              stream text NOT NULL REFERENCES \(s).streams(id) ON DELETE CASCADE,
              position bigint NOT NULL,
              kind smallint NOT NULL,
              event text,
              rid text,
              retry text,
              data bytea NOT NULL,
              size bigint NOT NULL,
              PRIMARY KEY (stream, position))
            """,
            """
            CREATE OR REPLACE FUNCTION \(s).append_record(p_stream text, p_writer text, p_kind smallint, p_event text,
                p_rid text, p_retry text, p_data bytea, p_max_records bigint, p_max_bytes bigint,
                p_lease double precision, p_channel text)
            RETURNS bigint LANGUAGE plpgsql AS $fn$
            DECLARE
              s \(s).streams%ROWTYPE;
              pos bigint;
              sz bigint;
              freed bigint;
            BEGIN
              SELECT * INTO s FROM \(s).streams WHERE id = p_stream FOR UPDATE;
              IF NOT FOUND THEN RAISE EXCEPTION 'streamconv-bridge: unknown stream'; END IF;
              IF s.end_kind IS NOT NULL THEN RAISE EXCEPTION 'streamconv-bridge: stream ended'; END IF;
              IF s.writer <> p_writer THEN RAISE EXCEPTION 'streamconv-bridge: not the writer'; END IF;
              pos := s.last_position + 1;
              sz := octet_length(p_data) + coalesce(octet_length(p_event), 0) + coalesce(octet_length(p_rid), 0);
              INSERT INTO \(s).records (stream, position, kind, event, rid, retry, data, size)
                VALUES (p_stream, pos, p_kind, p_event, p_rid, p_retry, p_data, sz);
              s.bytes := s.bytes + sz;
              WHILE pos - s.first_kept + 1 > p_max_records OR (s.bytes > p_max_bytes AND pos - s.first_kept + 1 > 1) LOOP
                DELETE FROM \(s).records WHERE stream = p_stream AND position = s.first_kept RETURNING size INTO freed;
                s.bytes := s.bytes - coalesce(freed, 0);
                s.first_kept := s.first_kept + 1;
              END LOOP;
              UPDATE \(s).streams SET last_position = pos, first_kept = s.first_kept, bytes = s.bytes,
                lease_until = clock_timestamp() + make_interval(secs => p_lease) WHERE id = p_stream;
              PERFORM pg_notify(p_channel, p_stream);
              RETURN pos;
            END
            $fn$
            """,
        ]
    }

    /// Creates the schema when missing; replicas starting at once take turns (an advisory lock).
    static func migrate(_ client: PostgresClient, schema: String, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7262830118)", logger: logger)
            for statement in schemaStatements(schema) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }
}
