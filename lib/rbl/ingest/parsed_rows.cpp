#include "rbl/ingest/parsed_rows.hpp"

namespace rbl::ingest {

ParsedRows::ParsedRows(RowSource& rows, RecordBuilder& builder, bool keep_fields)
    : m_rows(rows), m_builder(builder), m_keep_fields(keep_fields) {
    for (std::size_t i = 0; i < k_chunks; ++i) {
        m_free.push_back(std::make_unique<ParsedChunk>());
    }
    m_thread = std::thread([this] { read_all(); });
}

ParsedRows::~ParsedRows() {
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

ParsedChunk* ParsedRows::next() {
    std::unique_lock lock(m_mutex);
    if (m_current) {
        m_free.push_back(std::move(m_current));
        m_changed.notify_all();
    }
    m_changed.wait(lock, [this] { return !m_ready.empty() || m_done; });
    if (!m_ready.empty()) {
        m_current = std::move(m_ready.front());
        m_ready.pop_front();
        return m_current.get();
    }
    if (m_error) {
        std::rethrow_exception(std::exchange(m_error, nullptr));
    }
    return nullptr;
}

// A chunk the caller has given back, once one is free; nullptr when the caller gives up.
std::unique_ptr<ParsedChunk> ParsedRows::free_chunk() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_free.empty() || m_stop; });
    if (m_stop) {
        return nullptr;
    }
    std::unique_ptr<ParsedChunk> chunk = std::move(m_free.front());
    m_free.pop_front();
    return chunk;
}

void ParsedRows::parse(const SourceRow& source, ParsedRow& parsed) {
    parsed.line = source.line;
    parsed.warning.clear();
    parsed.rejection = source.problem;
    if (!parsed.rejection) {
        parsed.rejection = m_builder.build(source.fields, parsed.record, parsed.warning);
    }
    if (!parsed.rejection) {
        parsed.content_hash = m_builder.content_hash();
        parsed.subject_region = m_builder.subject_region();
    }
    parsed.fields.clear();
    if (m_keep_fields || parsed.rejection) {
        parsed.fields = m_rows.original_fields();
    }
}

void ParsedRows::read_all() {
    std::unique_ptr<ParsedChunk> chunk;
    try {
        SourceRow source;
        bool more = true;
        while (more) {
            chunk = free_chunk();
            if (!chunk) {
                return;
            }
            chunk->size = 0;
            while (chunk->size < k_chunk_rows && (more = m_rows.next(source))) {
                if (chunk->rows.size() == chunk->size) {
                    chunk->rows.emplace_back();
                }
                parse(source, chunk->rows[chunk->size]);
                ++chunk->size;  // after: a row whose validation threw is not handed on
            }
            chunk->bytes_consumed = m_rows.bytes_consumed();
            const std::lock_guard lock(m_mutex);
            m_ready.push_back(std::move(chunk));
            m_done = !more;
            m_changed.notify_all();
        }
    } catch (...) {
        // The rows read before the error go first, then the error.
        const std::lock_guard lock(m_mutex);
        if (chunk && chunk->size > 0) {
            chunk->bytes_consumed = m_rows.bytes_consumed();
            m_ready.push_back(std::move(chunk));
        }
        m_error = std::current_exception();
        m_done = true;
        m_changed.notify_all();
    }
}

}  // namespace rbl::ingest
