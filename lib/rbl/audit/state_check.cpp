#include "rbl/audit/state_check.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

#include "rbl/util/i18n.hpp"

namespace rbl::audit {

namespace {

constexpr std::size_t k_problems_kept = 100;

// The number after "PREFIX:" in an object name, or nullopt.
std::optional<std::int64_t> object_number(std::string_view object, std::string_view prefix) {
    if (!object.starts_with(prefix)) {
        return std::nullopt;
    }
    const std::string_view digits = object.substr(prefix.size());
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<store::StateHash> hash_field(const nlohmann::json& details, const char* key) {
    const auto found = details.find(key);
    if (found == details.end() || !found->is_string()) {
        return std::nullopt;
    }
    return store::state_hash_from_hex(found->get_ref<const std::string&>());
}

std::optional<util::MultisetHash> digest_field(const nlohmann::json& details, const char* key) {
    const auto found = details.find(key);
    if (found == details.end() || !found->is_string()) {
        return std::nullopt;
    }
    return util::MultisetHash::from_hex(found->get_ref<const std::string&>());
}

std::string records_word(std::int64_t n) {
    return trnf("{} record", "{} records", static_cast<std::uint64_t>(n), n);
}

}  // namespace

void StateCheck::observe(const AuditRow& row) {
    const bool entry_row = row.action.starts_with("entry.");
    const bool record_row = row.action == "record.updated" || row.action == "record.withdrawn";
    const bool batch_row = row.action == "import.batch" || row.action == "import.revert";
    if (!entry_row && !record_row && !batch_row) {
        return;
    }
    const auto details = nlohmann::json::parse(row.details, nullptr, false);
    const bool object_details = details.is_object();
    if (entry_row) {
        const auto entry_id = object_number(row.object, "entry:");
        if (!entry_id) {
            return;
        }
        EntryClaim& claim = m_entries[*entry_id];
        claim.seq = row.seq;
        claim.action = row.action;
        claim.state = object_details ? hash_field(details, "state") : std::nullopt;
        claim.status = object_details && details.contains("status") && details["status"].is_string()
                           ? details["status"].get<std::string>()
                           : std::string();
        return;
    }
    if (record_row) {
        if (!row.object.starts_with("record:")) {
            return;
        }
        RecordClaim& claim = m_records[row.object.substr(7)];
        claim.seq = row.seq;
        claim.action = row.action;
        const auto state = object_details ? hash_field(details, "state") : std::nullopt;
        const auto previous = object_details ? hash_field(details, "previous_state") : std::nullopt;
        claim.state = state;
        if (state && previous) {
            claim.delta.add(*state);
            claim.delta.remove(*previous);
        } else {
            claim.complete = false;
        }
        return;
    }
    const auto batch_id = object_number(row.object, "batch:");
    if (!batch_id) {
        return;
    }
    BatchClaim& claim = m_batches[*batch_id];
    if (row.action == "import.batch") {
        claim.seq = row.seq;
        claim.digest = object_details ? digest_field(details, "inserted_digest") : std::nullopt;
        claim.inserted = object_details && details.contains("inserted") &&
                                 details["inserted"].is_number_integer()
                             ? details["inserted"].get<std::int64_t>()
                             : 0;
        return;
    }
    claim.revert_seq = row.seq;
    const auto before = object_details ? digest_field(details, "withdrawn_before") : std::nullopt;
    const auto after = object_details ? digest_field(details, "withdrawn_after") : std::nullopt;
    if (before && after) {
        claim.revert_delta.add(*after);
        claim.revert_delta.remove(*before);
    } else {
        claim.revert_complete = false;
    }
}

void StateCheck::add_problem(VerifyResult& result, std::string text, std::string object,
                             std::optional<std::int64_t> seq) {
    if (result.problems.empty() && result.problem.empty()) {
        result.problem = text;
        result.object = std::move(object);
        result.first_bad = seq;
    }
    if (result.problems.size() < k_problems_kept) {
        result.problems.push_back(std::move(text));
    }
}

void StateCheck::check(store::Database& db, VerifyResult& result) {
    store::StateReader reader(db);
    check_entries(reader, result);
    check_records(reader, result);
}

void StateCheck::check_entries(store::StateReader& reader, VerifyResult& result) {
    reader.for_each_entry([&](std::int64_t entry_id, const store::StateHash& state,
                              std::string_view status) {
        const auto found = m_entries.find(entry_id);
        if (found == m_entries.end()) {
            ++result.entries_checked;
            add_problem(result,
                        trf("entry {} has no audit row: it was put in outside rbl", entry_id),
                        fmt::format("entry:{}", entry_id), std::nullopt);
            return;
        }
        EntryClaim& claim = found->second;
        claim.seen = true;
        if (!claim.state) {
            ++result.unchecked;
            return;
        }
        ++result.entries_checked;
        if (*claim.state != state) {
            // The rows name the status the entry moved to: when that is what differs, say so.
            add_problem(result,
                        !claim.status.empty() && claim.status != status
                            ? trf("entry {}: its content is not what audit row {} ({}) says it "
                                  "became (its status is '{}', the row says '{}')",
                                  entry_id, claim.seq, claim.action, status, claim.status)
                            : trf("entry {}: its content is not what audit row {} ({}) says it "
                                  "became (changed outside rbl)",
                                  entry_id, claim.seq, claim.action),
                        fmt::format("entry:{}", entry_id), claim.seq);
        }
    });
    for (const auto& [entry_id, claim] : m_entries) {
        if (!claim.seen && !claim.state) {
            ++result.unchecked;  // a row from before state hashes: it vouches for nothing
        } else if (!claim.seen) {
            add_problem(result,
                        trf("entry {} no longer exists, but audit row {} ({}) says what "
                            "it became: it was deleted outside rbl",
                            entry_id, claim.seq, claim.action),
                        fmt::format("entry:{}", entry_id), claim.seq);
        }
    }
}

void StateCheck::check_records(store::StateReader& reader, VerifyResult& result) {
    std::map<std::int64_t, BatchFound> found_batches;
    std::string key;
    reader.for_each_record([&](const store::StateReader::StoredRecord& stored) {
        ++result.records_checked;
        const store::StateHash state = store::record_state_hash(stored.state);
        BatchFound& batch = found_batches[stored.inserted_batch];
        batch.digest.add(state);
        ++batch.records;
        key.assign(stored.state.source);
        key += '/';
        key += stored.state.record_id;
        const auto found = m_records.find(key);
        if (found == m_records.end()) {
            return;  // accounted for by its batch alone
        }
        RecordClaim& claim = found->second;
        claim.seen = true;
        if (!claim.complete) {
            ++batch.uncountable;
        } else {
            batch.expected_delta.add(claim.delta);
        }
        if (!claim.state || *claim.state == state) {
            return;
        }
        // A revert of its batch after the row withdrew it, if it was active: the row's state
        // with the revert's change is then what it should be.
        const auto batch_claim = m_batches.find(stored.inserted_batch);
        if (batch_claim != m_batches.end() && batch_claim->second.revert_seq &&
            *batch_claim->second.revert_seq > claim.seq && stored.state.status == "withdrawn" &&
            stored.state.withdrawn_by == "office") {
            store::RecordState before_revert = stored.state;
            before_revert.status = "active";
            before_revert.withdrawn_by = std::nullopt;
            if (store::record_state_hash(before_revert) == *claim.state) {
                return;
            }
        }
        add_problem(result,
                    trf("record {}: its content is not what audit row {} ({}) says it "
                        "became (changed outside rbl)",
                        key, claim.seq, claim.action),
                    "record:" + key, claim.seq);
    });
    for (const auto& [record_key, claim] : m_records) {
        if (!claim.seen && !claim.state) {
            ++result.unchecked;
        } else if (!claim.seen) {
            add_problem(result,
                        trf("record {} no longer exists, but audit row {} ({}) says what "
                            "it became: it was deleted outside rbl",
                            record_key, claim.seq, claim.action),
                        "record:" + record_key, claim.seq);
        }
    }
    // Every batch the log or the table knows, in batch order.
    for (const auto& [batch_id, claim] : m_batches) {
        found_batches.try_emplace(batch_id);
    }
    for (const auto& [batch_id, found] : found_batches) {
        const auto claim_it = m_batches.find(batch_id);
        if (claim_it == m_batches.end() || claim_it->second.seq == 0) {
            if (found.records > 0) {
                add_problem(result,
                            trnf("{} record says batch {} inserted it, but the audit log has "
                                 "no import.batch row for it: put in outside rbl",
                                 "{} records say batch {} inserted them, but the audit log has "
                                 "no import.batch row for it: put in outside rbl",
                                 static_cast<std::uint64_t>(found.records), found.records,
                                 batch_id),
                            fmt::format("batch:{}", batch_id), std::nullopt);
            }
            continue;
        }
        const BatchClaim& claim = claim_it->second;
        if (!claim.digest || !claim.revert_complete || found.uncountable > 0) {
            result.unchecked += found.records;
            result.records_checked -= found.records;
            continue;  // rows from before digests: nothing to compare with
        }
        util::MultisetHash expected = *claim.digest;
        expected.add(found.expected_delta);
        expected.add(claim.revert_delta);
        std::string what;
        if (found.records < claim.inserted) {
            what = trf("{} where it says {}: {} removed outside rbl", records_word(found.records),
                       claim.inserted, records_word(claim.inserted - found.records));
        } else if (found.records > claim.inserted) {
            what = trf("{} where it says {}: {} added outside rbl", records_word(found.records),
                       claim.inserted, records_word(found.records - claim.inserted));
        } else if (expected != found.digest) {
            what = trf("{} as it says, but their content differs: changed outside rbl",
                       records_word(found.records));
        } else {
            continue;
        }
        add_problem(result,
                    trf("records inserted by batch {} are not what audit row {} "
                        "(import.batch) and the rows after it say: {}",
                        batch_id, claim.seq, what),
                    fmt::format("batch:{}", batch_id), claim.seq);
    }
}

}  // namespace rbl::audit
