# Two configurations of one instance, as the README's linter example shows them.

resource "ibm_sm_custom_credentials_configuration" "payroll" {
  instance_id = var.instance_id
  region      = "us-south"
  name        = "payroll"
  api_key_ref = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca"
  code_engine {
    project_id = "12345678-5120-4a18-832a-4ba122496633"
    job_name   = var.payroll_job
    region     = "us-south"
  }
}

resource "ibm_sm_custom_credentials_configuration" "billing" {
  instance_id  = var.instance_id
  region       = "us-south"
  name         = "billing"
  api_key_ref  = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca"
  task_timeout = "2d"
  code_engine {
    project_id = "12345678-5120-4a18-832a-4ba122496633"
    job_name   = "Job_B"
    region     = "us-south"
  }
}
