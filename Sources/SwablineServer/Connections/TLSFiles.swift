import HummingbirdTLS

/// The certificate and key `serve` answers HTTPS with (PEM files).
public struct TLSFiles: Sendable, Equatable {
    public var certificateChain: String
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// Reads both files; a file that is missing or not PEM is named.
    func configuration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificateChain) } catch {
            throw TLSFilesError(description: "--tls-cert \(certificateChain) is not a readable PEM certificate chain (\(error)).")
        }
        guard !chain.isEmpty else { throw TLSFilesError(description: "--tls-cert \(certificateChain) holds no certificate.") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: privateKey, format: .pem) } catch {
            throw TLSFilesError(description: "--tls-key \(privateKey) is not a readable PEM private key (\(error)).")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}

/// The TLS files could not be used; the server does not start without them.
public struct TLSFilesError: Error, CustomStringConvertible {
    public var description: String
}
