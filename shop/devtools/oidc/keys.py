"""The provider's signing key: one RSA key per simulator, published as a JWK, signing ID tokens with RS256."""

import secrets

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ALGORITHM = "RS256"


class SigningKey:
    def __init__(self) -> None:
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self._private.public_key()

    def jwk(self) -> dict:
        """The public half as a JSON Web Key, as a provider lists it at its jwks_uri."""
        return {**RSAAlgorithm.to_jwk(self.public_key, as_dict=True), "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def sign(self, claims: dict) -> str:
        return jwt.encode(claims, self._private, algorithm=ALGORITHM, headers={"kid": self.kid})
