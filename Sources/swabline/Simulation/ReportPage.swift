import SwablineCharts
/// The shell every simulation report page shares: one self-contained HTML
/// document with its own small style sheet, no script, no external file.
enum ReportPage {
    static func document(title: String, body: String) -> String {
        let title = SVGText.escape(title)
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(title)</title>
            <style>
            body { font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { text-align: left; padding: 0.2em 1em 0.2em 0; border-bottom: 1px solid #eee; vertical-align: top; }
            td.n { text-align: right; }
            figure { margin: 1.5em 0; }
            svg { max-width: 100%; height: auto; }
            li { margin: 0.2em 0; }
            </style>
            </head>
            <body>
            <h1>\(title)</h1>
            \(body)</body>
            </html>

            """
    }
}
