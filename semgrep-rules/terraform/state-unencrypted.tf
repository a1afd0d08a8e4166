terraform {
  # ruleid: gates.terraform.s3-backend-unencrypted
  backend "s3" {
    bucket = "x0tta6bl4-tfstate"
    key    = "prod/terraform.tfstate"
    region = "eu-central-1"
  }
}

terraform {
  # ruleid: gates.terraform.s3-backend-unencrypted
  backend "s3" {
    bucket  = "x0tta6bl4-tfstate"
    key     = "staging/terraform.tfstate"
    region  = "eu-central-1"
    encrypt = false
  }
}

terraform {
  # ok: gates.terraform.s3-backend-unencrypted
  backend "s3" {
    bucket       = "x0tta6bl4-tfstate"
    key          = "prod/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    kms_key_id   = "alias/terraform-state"
    use_lockfile = true
  }
}

terraform {
  # ok: gates.terraform.s3-backend-unencrypted
  backend "gcs" {
    bucket = "tf-state"
  }
}
