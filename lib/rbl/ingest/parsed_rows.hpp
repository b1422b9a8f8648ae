#pragma once
// The rows of an import, read and validated ahead of the writer on a thread of their own: while
// the writer puts one chunk of records into the database, the next chunks are parsed (CSV or JSON
// Lines, UTF-8 or GB18030) and validated (identifiers, dates, money, attributes, content hash).
// The writer sees every row, valid or rejected, in the file's order, exactly as a loop over the
// row source would give them. Internal to the importer.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rbl/ingest/record_builder.hpp"
#include "rbl/ingest/row_sources.hpp"
#include "rbl/model/record.hpp"
#include "rbl/store/record_store.hpp"

namespace rbl::ingest {

/// One row as validated: a record, or the reason it is refused.
struct ParsedRow {
    std::uint64_t line = 0;
    std::optional<Rejection> rejection;
    /// The row's original fields: kept for a rejected row, and for every row when asked (a
    /// rejects file, which a valid row may still need when the writer refuses it).
    std::vector<std::string> fields;
    std::string warning;  ///< a valid row's warning, "" when none
    model::Record record;
    store::ContentHash content_hash{};
    std::string subject_region;
};

/// Consecutive rows of the file.
struct ParsedChunk {
    std::vector<ParsedRow> rows;  ///< the first `size` are this chunk's (the rest are reused)
    std::size_t size = 0;
    std::uint64_t bytes_consumed = 0;  ///< of the input, after the chunk's last row
};

/// Reads `rows` through `builder` on a thread, a few chunks ahead of the caller. The source, the
/// builder and the column check behind the source belong to that thread until next() has
/// returned nullptr (or this object is gone).
class ParsedRows {
public:
    static constexpr std::size_t k_chunk_rows = 4096;
    static constexpr std::size_t k_chunks = 4;  ///< chunks in flight: bounds the memory

    ParsedRows(RowSource& rows, RecordBuilder& builder, bool keep_fields);
    /// Stops the reading thread (when the writer failed half-way) and waits for it.
    ~ParsedRows();
    ParsedRows(const ParsedRows&) = delete;
    ParsedRows& operator=(const ParsedRows&) = delete;

    /// The next chunk, in the file's order, valid until the next call; nullptr after the last.
    /// Rethrows what the reading thread threw (a malformed file), after the rows before it.
    ParsedChunk* next();

private:
    void read_all();
    std::unique_ptr<ParsedChunk> free_chunk();
    void parse(const SourceRow& source, ParsedRow& parsed);

    RowSource& m_rows;
    RecordBuilder& m_builder;
    bool m_keep_fields;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<ParsedChunk>> m_ready;
    std::deque<std::unique_ptr<ParsedChunk>> m_free;
    std::unique_ptr<ParsedChunk> m_current;  ///< the chunk the caller holds
    bool m_done = false;                     ///< the thread has read its last row
    bool m_stop = false;                     ///< the caller gives up
    std::exception_ptr m_error;
    std::thread m_thread;  ///< last: started once the rest exists
};

}  // namespace rbl::ingest
