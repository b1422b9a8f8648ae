#include "rbl/model/record.hpp"

namespace rbl::model {

std::string_view to_string(RecordStatus status) {
    return status == RecordStatus::active ? "active" : "withdrawn";
}

}  // namespace rbl::model
