#pragma once
// rbl::expected and rbl::unexpected: std::expected where the standard library has it (g++ 12's
// libstdc++ with -std=c++23), otherwise a small stand-in with the members rbl uses. The stand-in
// exists for clang 14, which builds the libFuzzer targets (tests/fuzz) against the same libstdc++
// but does not meet the concepts level its <expected> asks for.

#include <version>

#if defined(__cpp_lib_expected)

#include <expected>

namespace rbl {
using std::expected;
using std::unexpected;
}  // namespace rbl

#else

#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

namespace rbl {

/// The error of a failed expected, as std::unexpected.
template <typename E>
class unexpected {
public:
    /// Holds `error`.
    constexpr explicit unexpected(E error) : m_error(std::move(error)) {}
    [[nodiscard]] constexpr const E& error() const& noexcept { return m_error; }
    [[nodiscard]] constexpr E& error() & noexcept { return m_error; }
    [[nodiscard]] constexpr E&& error() && noexcept { return std::move(m_error); }

private:
    E m_error;
};

/// Thrown by expected::value() on an error, as std::bad_expected_access.
class bad_expected_access : public std::exception {
public:
    [[nodiscard]] const char* what() const noexcept override { return "bad expected access"; }
};

/// A value or an error, as std::expected (the subset rbl uses; T is not void).
template <typename T, typename E>
class expected {
public:
    using value_type = T;
    using error_type = E;

    /// A default value.
    constexpr expected()
        requires std::is_default_constructible_v<T>
        : m_storage(std::in_place_index<0>) {}
    /// A value made from `value`.
    template <typename U = T>
        requires(std::is_constructible_v<T, U> &&
                 !std::is_same_v<std::remove_cvref_t<U>, expected> &&
                 !std::is_same_v<std::remove_cvref_t<U>, std::in_place_t>)
    constexpr expected(U&& value)  // NOLINT(google-explicit-constructor): as std::expected
        : m_storage(std::in_place_index<0>, std::forward<U>(value)) {}
    /// An error.
    template <typename G>
        requires std::is_constructible_v<E, const G&>
    constexpr expected(const unexpected<G>& error)  // NOLINT(google-explicit-constructor)
        : m_storage(std::in_place_index<1>, error.error()) {}
    /// An error.
    template <typename G>
        requires std::is_constructible_v<E, G>
    constexpr expected(unexpected<G>&& error)  // NOLINT(google-explicit-constructor)
        : m_storage(std::in_place_index<1>, std::move(error).error()) {}

    [[nodiscard]] constexpr bool has_value() const noexcept { return m_storage.index() == 0; }
    constexpr explicit operator bool() const noexcept { return has_value(); }

    [[nodiscard]] constexpr const T& operator*() const& noexcept { return *std::get_if<0>(&m_storage); }
    [[nodiscard]] constexpr T& operator*() & noexcept { return *std::get_if<0>(&m_storage); }
    [[nodiscard]] constexpr T&& operator*() && noexcept {
        return std::move(*std::get_if<0>(&m_storage));
    }
    [[nodiscard]] constexpr const T* operator->() const noexcept { return std::get_if<0>(&m_storage); }
    [[nodiscard]] constexpr T* operator->() noexcept { return std::get_if<0>(&m_storage); }

    [[nodiscard]] constexpr const T& value() const& {
        check();
        return **this;
    }
    [[nodiscard]] constexpr T& value() & {
        check();
        return **this;
    }
    [[nodiscard]] constexpr T&& value() && {
        check();
        return std::move(**this);
    }
    [[nodiscard]] constexpr const E& error() const& noexcept { return *std::get_if<1>(&m_storage); }
    [[nodiscard]] constexpr E& error() & noexcept { return *std::get_if<1>(&m_storage); }
    [[nodiscard]] constexpr E&& error() && noexcept { return std::move(*std::get_if<1>(&m_storage)); }

    /// The value, or `fallback` on an error.
    template <typename U>
    [[nodiscard]] constexpr T value_or(U&& fallback) const& {
        return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
    }

private:
    constexpr void check() const {
        if (!has_value()) {
            throw bad_expected_access();
        }
    }

    std::variant<T, E> m_storage;
};

}  // namespace rbl

#endif
