#include "rbl/publish/subject_report_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::publish {

namespace {

// A4 in points, and the printable area.
constexpr double k_page_width = 595.276;
constexpr double k_page_height = 841.89;
constexpr double k_margin = 48.0;
constexpr double k_top = 52.0;
constexpr double k_bottom = k_page_height - 60.0;  // the page footer sits below
constexpr double k_width = k_page_width - 2 * k_margin;
constexpr double k_pad = 3.0;  // inside table cells
constexpr const char* k_font = "Noto Sans CJK SC";

struct SurfaceFree {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextFree {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct ObjectFree {
    void operator()(void* object) const { g_object_unref(object); }
};
struct FontFree {
    void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using Layout = std::unique_ptr<PangoLayout, ObjectFree>;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// Fails unless fontconfig gives pango a Noto CJK font for k_font: a fallback Latin font would
// print boxes for every Chinese character.
void require_cjk_font(PangoContext* context) {
    std::unique_ptr<PangoFontDescription, FontFree> wanted(
        pango_font_description_from_string(k_font));
    PangoFont* font = pango_context_load_font(context, wanted.get());
    std::string family;
    if (font != nullptr) {
        std::unique_ptr<PangoFontDescription, FontFree> got(pango_font_describe(font));
        const char* name = pango_font_description_get_family(got.get());
        family = name != nullptr ? name : "";
        g_object_unref(font);
    }
    if (family.find("CJK") == std::string::npos) {
        throw FailedError(trf("the PDF report needs the font {} (Debian package "
                              "fonts-noto-cjk); fontconfig found '{}'",
                              k_font, family));
    }
}

// One column of a table: its title and share of the width.
struct Column {
    const char* title;
    double share;
};

// Lays out text down A4 pages: paragraphs and tables, a new page when the next block does not
// fit, each page's footer with the report number and the page's number.
class PdfWriter {
public:
    PdfWriter(std::string number, std::string& bytes) : m_number(std::move(number)) {
        m_surface.reset(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, k_page_width,
                                                            k_page_height));
        m_cr.reset(cairo_create(m_surface.get()));
        std::unique_ptr<PangoContext, ObjectFree> context(pango_cairo_create_context(m_cr.get()));
        require_cjk_font(context.get());
    }

    cairo_surface_t* surface() { return m_surface.get(); }

    void heading(const std::string& text, double size) {
        m_y += 4;
        paragraph(text, size, true);
        rule();
    }

    // A line across the page.
    void rule() {
        cairo_move_to(m_cr.get(), k_margin, m_y);
        cairo_line_to(m_cr.get(), k_margin + k_width, m_y);
        cairo_set_line_width(m_cr.get(), 0.6);
        cairo_stroke(m_cr.get());
        m_y += 4;
    }

    void title(const std::string& text) {
        Layout layout = make(text, 17, true, k_width);
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
        draw(layout.get(), k_margin, m_y);
        m_y += height(layout.get()) + 8;
    }

    void paragraph(const std::string& text, double size = 9.5, bool bold = false) {
        Layout layout = make(text, size, bold, k_width);
        const double h = height(layout.get());
        if (m_y + h > k_bottom) {
            new_page();
        }
        draw(layout.get(), k_margin, m_y);
        m_y += h + 3;
    }

    // Rows of cells under a header row, repeated on every page the table runs onto.
    void table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows) {
        std::vector<std::string> titles;
        for (const Column& column : columns) {
            titles.emplace_back(column.title);
        }
        row(columns, titles, true, false);
        for (const auto& cells : rows) {
            if (row(columns, cells, false, true)) {
                row(columns, titles, true, false);
                row(columns, cells, false, false);
            }
        }
        m_y += 4;
    }

    // Ends the last page.
    void finish() {
        page_footer();
        cairo_surface_finish(m_surface.get());
        if (cairo_surface_status(m_surface.get()) != CAIRO_STATUS_SUCCESS) {
            throw FailedError(
                trf("cannot write the PDF report: {}",
                    cairo_status_to_string(cairo_surface_status(m_surface.get()))));
        }
    }

private:
    Layout make(const std::string& text, double size, bool bold, double width) {
        Layout layout(pango_cairo_create_layout(m_cr.get()));
        std::unique_ptr<PangoFontDescription, FontFree> font(
            pango_font_description_from_string(k_font));
        pango_font_description_set_size(font.get(), static_cast<int>(size * PANGO_SCALE));
        pango_font_description_set_weight(font.get(),
                                          bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(layout.get(), font.get());
        pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
        if (pango_layout_get_unknown_glyphs_count(layout.get()) > 0) {
            throw FailedError(
                trf("the font {} has no glyph for a character of '{}'", k_font, text));
        }
        return layout;
    }

    static double height(PangoLayout* layout) {
        int w = 0;
        int h = 0;
        pango_layout_get_size(layout, &w, &h);
        return static_cast<double>(h) / PANGO_SCALE;
    }

    void draw(PangoLayout* layout, double x, double y) {
        cairo_move_to(m_cr.get(), x, y);
        pango_cairo_show_layout(m_cr.get(), layout);
    }

    // Draws one table row; with `may_break`, a row that does not fit starts a new page and
    // returns true without drawing (the caller repeats the header, then the row).
    bool row(const std::vector<Column>& columns, const std::vector<std::string>& cells,
             bool header, bool may_break) {
        std::vector<Layout> layouts;
        double h = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            layouts.push_back(make(i < cells.size() ? cells[i] : std::string(), 7.5, header,
                                   columns[i].share * k_width - 2 * k_pad));
            h = std::max(h, height(layouts.back().get()));
        }
        h += 2 * k_pad;
        if (m_y + h > k_bottom) {
            new_page();
            if (may_break) {
                return true;
            }
        }
        double x = k_margin;
        cairo_set_line_width(m_cr.get(), 0.5);
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const double w = columns[i].share * k_width;
            if (header) {
                cairo_set_source_rgb(m_cr.get(), 0.92, 0.92, 0.92);
                cairo_rectangle(m_cr.get(), x, m_y, w, h);
                cairo_fill(m_cr.get());
                cairo_set_source_rgb(m_cr.get(), 0, 0, 0);
            }
            cairo_rectangle(m_cr.get(), x, m_y, w, h);
            cairo_stroke(m_cr.get());
            draw(layouts[i].get(), x + k_pad, m_y + k_pad);
            x += w;
        }
        m_y += h;
        return false;
    }

    void page_footer() {
        Layout layout = make(fmt::format("{} · 报告编号 {} · 第 {} 页", words::k_title, m_number,
                                         m_page),
                             7.5, false, k_width);
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
        draw(layout.get(), k_margin, k_page_height - 40);
    }

    void new_page() {
        page_footer();
        cairo_show_page(m_cr.get());
        ++m_page;
        m_y = k_top;
    }

    std::string m_number;
    std::unique_ptr<cairo_surface_t, SurfaceFree> m_surface;
    std::unique_ptr<cairo_t, ContextFree> m_cr;
    double m_y = k_top;
    int m_page = 1;
};

void set_metadata(cairo_surface_t* surface, const SubjectReport& report) {
    const std::string title = fmt::format("{} {}", words::k_title, report.number);
    const std::string keywords = fmt::format("{}{}", k_pdf_number_keyword, report.number);
    // The issue day as the creation and change dates: without them cairo writes the time of
    // the run, and the same content would not give the same bytes.
    const std::string day = report.issued_on + "T00:00:00+08:00";
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, report.office.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, keywords.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "rbl-publish");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, day.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, day.c_str());
}

void header_pdf(PdfWriter& pdf, const SubjectReport& r) {
    pdf.title(std::string(words::k_title));
    std::string domains;
    for (const ReportDomain& domain : r.domains) {
        domains += (domains.empty() ? "" : "、") + domain.domain;
    }
    pdf.table({{"项目", 0.3}, {"内容", 0.7}},
              {{"报告编号", r.number},
               {"出具机构", r.office},
               {"出具日期", r.issued_on},
               {"经办人", r.operator_name},
               {"信息截止日", r.as_of},
               {"查询期间", fmt::format("{} 至 {}", r.from, r.to)},
               {"查询领域", domains}});
    pdf.heading("一、主体信息", 12);
    pdf.table({{"项目", 0.3}, {"内容", 0.7}},
              {{"名称", r.subject_name},
               {"统一社会信用代码或身份证号", r.subject_id},
               {"主体类型", r.subject_type_zh},
               {"所属地区代码", r.region}});
}

void records_pdf(PdfWriter& pdf, const SubjectReport& r) {
    pdf.heading("二、信用记录（按领域）", 12);
    for (const ReportDomain& domain : r.domains) {
        pdf.paragraph(domain.domain, 10.5, true);
        if (domain.records.empty()) {
            pdf.paragraph(std::string(words::k_no_record));
            continue;
        }
        std::vector<std::vector<std::string>> rows;
        for (const ReportRecord& rec : domain.records) {
            rows.push_back({rec.kind_zh, rec.record_id, rec.authority, rec.date, rec.amount,
                            rec.publicity_until});
        }
        pdf.table({{"类别", 0.13}, {"决定书文号", 0.25}, {"决定机关", 0.22}, {"决定日期", 0.13},
                   {"金额（元）", 0.14}, {"公示截止期", 0.13}},
                  rows);
    }
}

// Entries and appeals have too many fields for columns across a portrait page: each is a small
// two-column table of its fields, in the order of the HTML page's columns.
const std::vector<Column> k_field_columns = {{"项目", 0.22}, {"内容", 0.78}};

void entries_pdf(PdfWriter& pdf, const SubjectReport& r) {
    pdf.heading("三、查询期间内有效的名单", 12);
    if (r.entries.empty()) {
        pdf.paragraph(std::string(words::k_no_record));
        return;
    }
    for (const ReportEntry& e : r.entries) {
        pdf.table(k_field_columns,
                  {{"名单", fmt::format("{}（{}）", e.list_title_zh, e.kind_zh)},
                   {"认定依据", e.basis},
                   {"认定部门", e.authority},
                   {"认定日期", e.decided_on},
                   {"生效日期", e.effective_from},
                   {"有效期至", e.expires_on},
                   {"状态", e.disputed ? e.status_zh + "（有异议）" : e.status_zh},
                   {"终止日期", e.ended_on},
                   {"终止原因", e.end_reason_zh}});
    }
}

void appeals_pdf(PdfWriter& pdf, const SubjectReport& r) {
    pdf.heading("四、异议与信用修复", 12);
    if (r.appeals.empty()) {
        pdf.paragraph(std::string(words::k_no_record));
        return;
    }
    for (const ReportAppeal& a : r.appeals) {
        pdf.table(k_field_columns, {{"类型", a.type_zh},
                                    {"名单条目", std::to_string(a.entry_id)},
                                    {"受理日期", a.received_on},
                                    {"办理期限", a.due_on},
                                    {"理由", a.reason},
                                    {"结果", a.outcome_zh},
                                    {"决定日期", a.decided_on},
                                    {"说明", a.note}});
    }
}

}  // namespace

std::string subject_report_pdf(const SubjectReport& report, const std::string& digest) {
    std::string bytes;
    {
        PdfWriter pdf(report.number, bytes);
        set_metadata(pdf.surface(), report);
        header_pdf(pdf, report);
        records_pdf(pdf, report);
        entries_pdf(pdf, report);
        appeals_pdf(pdf, report);
        pdf.rule();
        pdf.paragraph(fmt::format("报告编号 {}；内容摘要（SHA-256）：{}", report.number, digest),
                      8.5);
        pdf.paragraph(std::string(words::k_how_to_verify), 8.5);
        pdf.finish();
    }
    return bytes;
}

}  // namespace rbl::publish
